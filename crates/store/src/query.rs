//! A small builder for filtered list queries: the WHERE clause and its parameters are built once
//! and bound to both the page query and the count query.

use sqlx::Any;
use sqlx::any::AnyArguments;
use sqlx::query::Query;

#[derive(Debug, Clone)]
pub(crate) enum Param {
    Text(String),
    Int(i64),
    /// NULL in a text column.
    Null,
    /// NULL in an integer column.
    NullInt,
}

#[derive(Debug, Default, Clone)]
pub(crate) struct Where {
    clauses: Vec<String>,
    params: Vec<Param>,
}

impl Where {
    /// Adds a parameter and returns its placeholder (`$n`).
    pub fn param(&mut self, p: Param) -> String {
        self.params.push(p);
        format!("${}", self.params.len())
    }
    pub fn text(&mut self, v: impl Into<String>) -> String {
        self.param(Param::Text(v.into()))
    }
    pub fn int(&mut self, v: i64) -> String {
        self.param(Param::Int(v))
    }
    pub fn and(&mut self, clause: String) {
        self.clauses.push(clause);
    }
    /// `column LIKE '%…%'` on a folded search key, with LIKE's wildcards in the text escaped;
    /// nothing when the folded text is empty.
    pub fn folded_contains(&mut self, column: &str, text: Option<&str>) {
        let Some(t) = text.map(danvan_vntext::fold).filter(|t| !t.is_empty()) else {
            return;
        };
        let p = self.text(format!(
            "%{}%",
            t.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        ));
        self.and(format!("{column} LIKE {p} ESCAPE '\\'"));
    }

    pub fn sql(&self) -> String {
        if self.clauses.is_empty() {
            "1=1".into()
        } else {
            self.clauses.join(" AND ")
        }
    }
    pub fn bind<'q>(&self, mut q: Query<'q, Any, AnyArguments>) -> Query<'q, Any, AnyArguments> {
        for p in &self.params {
            q = match p {
                Param::Text(s) => q.bind(s.clone()),
                Param::Int(i) => q.bind(*i),
                Param::Null => q.bind(Option::<String>::None),
                Param::NullInt => q.bind(Option::<i64>::None),
            };
        }
        q
    }
}

/// `(col LIKE $a OR col LIKE $b …)` for an actor's scope; never empty (an empty scope matches
/// nothing).
pub(crate) fn scope_clause(w: &mut Where, column: &str, scope: &[String]) -> String {
    if scope.is_empty() {
        return "1=0".into();
    }
    let parts: Vec<String> = scope
        .iter()
        .map(|p| format!("{column} LIKE {}", w.text(crate::subtree(p))))
        .collect();
    format!("({})", parts.join(" OR "))
}
