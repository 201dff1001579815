//! Creates a repository with issues, pull requests and stars, then reads them through
//! every access pattern, on the embedded server (or `DYNAMODB_ENDPOINT`).

use chrono::{Duration, TimeZone, Utc};
use dynaschema::local::EndpointOrEmbedded;
use ulid::Ulid;
use version_control_example::{Account, Issue, PullRequest, Repo, Star, version_control};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = EndpointOrEmbedded::from_env()?;
    let client = server.client();
    let table = version_control::Table::new(
        client,
        format!("vcs-{}", Ulid::new().to_string().to_lowercase()),
    );
    table.create_table().await?;
    let t0 = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();

    table
        .put(&Account {
            username: "alexdebrie".into(),
            name: "Alex DeBrie".into(),
        })
        .await?;
    for (i, repo) in ["dynamodb-book", "dynaschema"].iter().enumerate() {
        let updated_at = t0 + Duration::days(i as i64);
        table
            .put(&Repo {
                owner: "alexdebrie".into(),
                repo: (*repo).into(),
                description: String::new(),
                updated_at,
            })
            .await?;
    }
    for (number, status) in [(1, "open"), (2, "closed"), (3, "open")] {
        let issue = Issue {
            owner: "alexdebrie".into(),
            repo: "dynaschema".into(),
            number,
            title: format!("Issue {number}"),
            status: status.into(),
        };
        table.put(&issue).await?;
    }
    table
        .put(&PullRequest {
            owner: "alexdebrie".into(),
            repo: "dynaschema".into(),
            number: 4,
            title: "Fix".into(),
            status: "Open".into(),
        })
        .await?;
    table
        .put(&Star {
            owner: "alexdebrie".into(),
            repo: "dynaschema".into(),
            username: "ada".into(),
            starred_at: t0,
        })
        .await?;

    let with_issues = table.repo_with_issues("alexdebrie", "dynaschema").await?;
    println!(
        "repo_with_issues: {} with {} issues",
        with_issues.repo.map(|r| r.repo).unwrap_or_default(),
        with_issues.issues.len()
    );
    let numbers = |issues: Vec<Issue>| issues.into_iter().map(|i| i.number).collect::<Vec<_>>();
    println!(
        "repo_issues: {:?}",
        numbers(table.repo_issues("alexdebrie", "dynaschema").all().await?)
    );
    println!(
        "issues_by_status(open): {:?}",
        numbers(
            table
                .issues_by_status("alexdebrie", "dynaschema")
                .status("open")
                .all()
                .await?
        )
    );
    println!(
        "pulls_by_status(OPEN): {}",
        table
            .pulls_by_status("alexdebrie", "dynaschema")
            .status("OPEN")
            .all()
            .await?
            .len()
    );
    println!(
        "stargazers: {:?}",
        table
            .stargazers("alexdebrie", "dynaschema")
            .all()
            .await?
            .into_iter()
            .map(|s| s.username)
            .collect::<Vec<_>>()
    );
    println!(
        "starred_by(ada): {:?}",
        table
            .starred_by("ada")
            .all()
            .await?
            .into_iter()
            .map(|s| s.repo)
            .collect::<Vec<_>>()
    );
    println!(
        "account_repos: {:?}",
        table
            .account_repos("alexdebrie")
            .all()
            .await?
            .into_iter()
            .map(|r| r.repo)
            .collect::<Vec<_>>()
    );
    println!(
        "get_account: {:?}",
        table.get_account("alexdebrie").await?.map(|a| a.name)
    );
    Ok(())
}
