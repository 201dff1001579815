//! Checkpoints of a migration: each segment's position in a small text file.

use aws_sdk_dynamodb::types::AttributeValue;
use base64::Engine as _;

use crate::attribute::Item;
use crate::table::Table;

/// Each segment's position: where its next page starts, or done.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Position {
    pub(super) done: bool,
    pub(super) start: Option<Item>,
}

pub(super) struct Checkpoint {
    pub(super) positions: Vec<Position>,
    /// Read from a file (not fresh).
    pub(super) loaded: bool,
}

impl Checkpoint {
    pub(super) fn fresh(segments: u32) -> Self {
        Self {
            positions: vec![Position::default(); segments as usize],
            loaded: false,
        }
    }

    /// The file's positions; a fresh checkpoint if there is no file. A file for
    /// another table, entity or segment count is an error (its positions would not
    /// mean the same).
    pub(super) fn load(
        path: &std::path::Path,
        table: &Table,
        entity: &str,
        segments: u32,
    ) -> std::result::Result<Self, String> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::fresh(segments)),
            Err(e) => return Err(checkpoint_error(path, &e.to_string())),
        };
        let mut lines = text.lines();
        let header = format!(
            "dynaschema-migration v1 {} {entity} {segments}",
            table.name()
        );
        if lines.next() != Some(header.as_str()) {
            return Err(checkpoint_error(
                path,
                &format!("it is not a checkpoint of this migration (expected `{header}`)"),
            ));
        }
        let mut checkpoint = Self::fresh(segments);
        checkpoint.loaded = true;
        for (position, line) in checkpoint.positions.iter_mut().zip(lines) {
            *position = parse_position(line)
                .ok_or_else(|| checkpoint_error(path, "a line does not parse"))?;
        }
        Ok(checkpoint)
    }

    /// Writes the positions to `path` atomically (a temporary file renamed over it),
    /// so a kill mid-write leaves the previous checkpoint.
    pub(super) fn save(
        &self,
        path: &std::path::Path,
        table: &Table,
        entity: &str,
    ) -> std::result::Result<(), String> {
        let mut text = format!(
            "dynaschema-migration v1 {} {entity} {}\n",
            table.name(),
            self.positions.len()
        );
        for position in &self.positions {
            text.push_str(&format_position(position));
            text.push('\n');
        }
        let temporary = path.with_extension("tmp");
        std::fs::write(&temporary, text)
            .and_then(|()| std::fs::rename(&temporary, path))
            .map_err(|e| checkpoint_error(path, &e.to_string()))
    }
}

fn checkpoint_error(path: &std::path::Path, reason: &str) -> String {
    format!("checkpoint {}: {reason}", path.display())
}

/// `done`, `start` (the beginning), or `at name=S:value;name=N:value`, names and
/// values in unpadded URL-safe base64 (no `=`, `;` or `:` in them).
fn format_position(position: &Position) -> String {
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    match (&position.start, position.done) {
        (_, true) => "done".to_owned(),
        (None, false) => "start".to_owned(),
        (Some(key), false) => {
            let mut parts: Vec<String> = key
                .iter()
                .filter_map(|(name, value)| {
                    let (kind, bytes) = match value {
                        AttributeValue::S(s) => ("S", s.as_bytes().to_vec()),
                        AttributeValue::N(n) => ("N", n.as_bytes().to_vec()),
                        AttributeValue::B(b) => ("B", b.as_ref().to_vec()),
                        _ => return None,
                    };
                    Some(format!(
                        "{}={kind}:{}",
                        engine.encode(name),
                        engine.encode(bytes)
                    ))
                })
                .collect();
            parts.sort();
            format!("at {}", parts.join(";"))
        }
    }
}

fn parse_position(line: &str) -> Option<Position> {
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    match line {
        "done" => {
            return Some(Position {
                done: true,
                start: None,
            });
        }
        "start" => return Some(Position::default()),
        _ => {}
    }
    let mut key = Item::new();
    for part in line.strip_prefix("at ")?.split(';') {
        let (name, value) = part.split_once('=')?;
        let (kind, bytes) = value.split_once(':')?;
        let name = String::from_utf8(engine.decode(name).ok()?).ok()?;
        let bytes = engine.decode(bytes).ok()?;
        let value = match kind {
            "S" => AttributeValue::S(String::from_utf8(bytes).ok()?),
            "N" => AttributeValue::N(String::from_utf8(bytes).ok()?),
            "B" => AttributeValue::B(bytes.into()),
            _ => return None,
        };
        key.insert(name, value);
    }
    Some(Position {
        done: false,
        start: Some(key),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_round_trip() {
        let mut key = Item::new();
        key.insert("pk".into(), AttributeValue::S("USER#a;b=c".into()));
        key.insert("sk".into(), AttributeValue::N("12".into()));
        for position in [
            Position {
                done: true,
                start: None,
            },
            Position::default(),
            Position {
                done: false,
                start: Some(key),
            },
        ] {
            assert_eq!(parse_position(&format_position(&position)), Some(position));
        }
        assert_eq!(parse_position("at nonsense"), None);
    }
}
