//! Access tokens: made once, stored as a hash, checked, revoked at once.

use tempfile::TempDir;
use weft_engine::ops::tokens::Error;
use weft_engine::Engine;

fn engine() -> (Engine, TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(super::support::options(&dir)).unwrap();
    (engine, dir)
}

#[test]
fn a_new_token_checks_and_only_its_hash_is_stored() {
    let (engine, dir) = engine();
    let made = engine.create_token("laptop", false).unwrap();
    assert!(made.token.starts_with("weft_"));
    let info = engine
        .check_token(&made.token)
        .unwrap()
        .expect("a live token");
    assert_eq!(info.name, "laptop");
    assert!(!info.read_only);
    engine.shutdown();
    drop(engine);
    let bytes = std::fs::read(dir.path().join("weft.db")).unwrap();
    let secret = made.token.rsplit('_').next().unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        !text.contains(secret),
        "the secret is not in the store file"
    );
}

#[test]
fn a_read_only_token_says_so_and_names_are_unique() {
    let (engine, _dir) = engine();
    let made = engine.create_token("viewer", true).unwrap();
    assert!(engine.check_token(&made.token).unwrap().unwrap().read_only);
    assert!(matches!(
        engine.create_token("viewer", false),
        Err(Error::NameTaken { .. })
    ));
    assert!(matches!(
        engine.create_token("two words", false),
        Err(Error::BadName { .. })
    ));
    let names: Vec<String> = engine
        .list_tokens()
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(names, ["viewer"]);
}

#[test]
fn a_wrong_or_malformed_token_is_refused() {
    let (engine, _dir) = engine();
    let made = engine.create_token("ci", false).unwrap();
    let mut wrong = made.token.clone();
    let last = if wrong.ends_with('0') { "1" } else { "0" };
    wrong.replace_range(wrong.len() - 1.., last);
    assert_eq!(engine.check_token(&wrong).unwrap(), None);
    assert_eq!(engine.check_token("").unwrap(), None);
    assert_eq!(engine.check_token("Bearer x").unwrap(), None);
    assert_eq!(engine.check_token(&made.token[..20]).unwrap(), None);
}

#[test]
fn a_revoked_token_is_refused_at_once_also_by_another_handle() {
    let (engine, dir) = engine();
    let made = engine.create_token("old", false).unwrap();
    // Another process's handle on the same store (as `weft tokens revoke` would be).
    let other = Engine::open(super::support::options(&dir)).unwrap();
    assert!(other.check_token(&made.token).unwrap().is_some());
    engine.revoke_token("old").unwrap();
    assert_eq!(other.check_token(&made.token).unwrap(), None);
    assert!(matches!(
        engine.revoke_token("old"),
        Err(Error::NotFound { .. })
    ));
}
