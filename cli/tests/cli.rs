//! The command line as users run it: each case in `tests/cmd` is a command with its
//! expected exit code and output (re-bless with `TRYCMD=overwrite`).

#[test]
fn cli() {
    trycmd::TestCases::new().case("tests/cmd/*.toml");
}
