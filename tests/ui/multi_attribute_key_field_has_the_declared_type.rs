// `round` is declared a number in `by_bracket`'s `attribute_types`: a `String` field
// cannot fill it, and the error lands on the field's type.
use dynaschema::Entity;

#[derive(Entity)]
#[entity(schema = "schemas/tournament.toml")]
pub struct Match {
    pub match_id: String,
    pub tournament_id: String,
    pub region: String,
    pub round: String,
    pub bracket: String,
    pub winner: Option<String>,
    pub played_at: chrono::DateTime<chrono::Utc>,
}

fn main() {}
