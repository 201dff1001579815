//! The GitHub-like model (schema-examples/version-control): every access pattern
//! returns the right items from DynamoDB Local.

use chrono::{Duration, TimeZone, Utc};
use dynaschema_tests::{client, unique_table_name};
use version_control_example::{Account, Issue, PullRequest, Repo, Star, version_control};

async fn table() -> version_control::Table {
    let table = version_control::Table::new(client(), unique_table_name("vcs"));
    table.create_table().await.unwrap();
    table
}

fn issue(repo: &str, number: u32, status: &str) -> Issue {
    Issue {
        owner: "alex".into(),
        repo: repo.into(),
        number,
        title: format!("issue {number}"),
        status: status.into(),
    }
}

#[tokio::test]
async fn repositories_issues_and_pull_requests() {
    let table = table().await;
    let t0 = Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap();
    let account = Account {
        username: "alex".into(),
        name: "Alex".into(),
    };
    table.put(&account).await.unwrap();
    let repos: Vec<Repo> = ["b-repo", "a-repo", "c-repo"]
        .iter()
        .enumerate()
        .map(|(i, name)| Repo {
            owner: "alex".into(),
            repo: (*name).into(),
            description: format!("repo {i}"),
            updated_at: t0 + Duration::hours(i as i64),
        })
        .collect();
    for repo in &repos {
        table.put(repo).await.unwrap();
    }
    // Numbers past 9 check numeric, not text, order.
    let issues = [
        issue("a-repo", 2, "open"),
        issue("a-repo", 10, "closed"),
        issue("a-repo", 9, "open"),
        issue("b-repo", 1, "open"),
    ];
    for i in &issues {
        table.put(i).await.unwrap();
    }
    let pull = PullRequest {
        owner: "alex".into(),
        repo: "a-repo".into(),
        number: 11,
        title: "fix".into(),
        status: "Merged".into(),
    };
    table.put(&pull).await.unwrap();

    assert_eq!(table.get_account("alex").await.unwrap(), Some(account));
    assert_eq!(
        table.get_repo("alex", "a-repo").await.unwrap().as_ref(),
        Some(&repos[1])
    );
    let numbers = |issues: Vec<Issue>| issues.into_iter().map(|i| i.number).collect::<Vec<_>>();
    assert_eq!(
        numbers(table.repo_issues("alex", "a-repo").all().await.unwrap()),
        [10, 9, 2]
    );
    assert_eq!(
        numbers(
            table
                .repo_issues("alex", "a-repo")
                .number_lt(&10)
                .all()
                .await
                .unwrap()
        ),
        [9, 2]
    );
    // Status keys are upper-cased: any casing of the status finds them.
    assert_eq!(
        numbers(
            table
                .issues_by_status("alex", "a-repo")
                .status("Open")
                .all()
                .await
                .unwrap()
        ),
        [9, 2]
    );
    assert_eq!(
        numbers(
            table
                .issues_by_status("alex", "a-repo")
                .status("CLOSED")
                .all()
                .await
                .unwrap()
        ),
        [10]
    );
    assert_eq!(
        table
            .pulls_by_status("alex", "a-repo")
            .status("merged")
            .all()
            .await
            .unwrap(),
        vec![pull]
    );
    assert!(
        table
            .pulls_by_status("alex", "a-repo")
            .status("open")
            .all()
            .await
            .unwrap()
            .is_empty()
    );

    let with_issues = table.repo_with_issues("alex", "a-repo").await.unwrap();
    assert_eq!(with_issues.repo.as_ref(), Some(&repos[1]));
    assert_eq!(numbers(with_issues.issues), [2, 9, 10]);

    let recent: Vec<String> = table
        .account_repos("alex")
        .all()
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.repo)
        .collect();
    assert_eq!(recent, ["c-repo", "a-repo", "b-repo"]);
}

#[tokio::test]
async fn stars_are_readable_from_both_sides() {
    let table = table().await;
    let at = Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap();
    let star = |username: &str, repo: &str| Star {
        owner: "alex".into(),
        repo: repo.into(),
        username: username.into(),
        starred_at: at,
    };
    for s in [
        star("ada", "a-repo"),
        star("grace", "a-repo"),
        star("ada", "b-repo"),
    ] {
        table.put(&s).await.unwrap();
    }
    let gazers: Vec<String> = table
        .stargazers("alex", "a-repo")
        .all()
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.username)
        .collect();
    assert_eq!(gazers, ["ada", "grace"]);
    let starred: Vec<String> = table
        .starred_by("ada")
        .all()
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.repo)
        .collect();
    assert_eq!(starred, ["a-repo", "b-repo"]);
}
