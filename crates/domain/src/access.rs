//! The one place that decides who may see and do what. Every route asks [`Actor::may`]; storage
//! queries are scoped with [`Actor::record_scope`], which is the same rule expressed as the unit
//! subtree a user's lists are filtered to.
//!
//! Units form a tree; a unit's `path` is the list of ids from the root, written `/1/4/9/`, so a
//! subtree test is a prefix test both here and in SQL (`path LIKE '/1/4/%'`).

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Cán bộ tiếp công dân.
    ReceptionOfficer,
    /// Chuyên viên xử lý đơn.
    PetitionHandler,
    /// Thủ trưởng (head of the unit): receives citizens in person, may see protected identity.
    Head,
    /// Cấp phó (deputy head).
    Deputy,
    /// Ban Dân vận: reads aggregate figures of any unit, records only in its subtree.
    Board,
    /// Quản trị hệ thống.
    Admin,
    /// Read-only.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::ReceptionOfficer,
        Role::PetitionHandler,
        Role::Head,
        Role::Deputy,
        Role::Board,
        Role::Admin,
        Role::Viewer,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::ReceptionOfficer => "reception_officer",
            Role::PetitionHandler => "petition_handler",
            Role::Head => "head",
            Role::Deputy => "deputy",
            Role::Board => "board",
            Role::Admin => "admin",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::ReceptionOfficer => "Cán bộ tiếp công dân",
            Role::PetitionHandler => "Chuyên viên xử lý đơn",
            Role::Head => "Thủ trưởng",
            Role::Deputy => "Cấp phó",
            Role::Board => "Ban Dân vận",
            Role::Admin => "Quản trị",
            Role::Viewer => "Chỉ xem",
        }
    }

    fn is_leader(self) -> bool {
        matches!(self, Role::Head | Role::Deputy)
    }
}

/// The signed-in user as the rules see them.
#[derive(Debug, Clone, Serialize)]
pub struct Actor {
    pub user_id: i64,
    pub username: String,
    pub role: Role,
    pub unit_id: i64,
    /// Materialised path of the user's unit, e.g. `/1/4/`.
    pub unit_path: String,
    /// Subtrees whose records this user inherits: their own unit's, then those of units
    /// abolished or merged into a unit of their subtree (history kept across 1/7/2025).
    pub scope: Vec<String>,
    /// The inspectorate (thanh tra) reads aggregate figures beyond its subtree, like the board.
    pub unit_is_inspectorate: bool,
}

/// What a record looks like to the rules.
#[derive(Debug, Clone, Copy)]
pub struct RecordRef<'a> {
    /// Path of the unit that owns the record (receiving or handling unit).
    pub unit_path: &'a str,
}

/// Who may see the protected identity on a record.
#[derive(Debug, Clone, Copy, Default)]
pub struct IdentityContext<'a> {
    /// Path of the unit handling the case (its head may see).
    pub handling_unit_path: Option<&'a str>,
    /// The user is an assigned handler of the case.
    pub assigned: bool,
    /// For reception data (since 1/7/2026): path of the receiving unit, whose reception officers
    /// and leaders may see.
    pub receiving_unit_path: Option<&'a str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action<'a> {
    /// List or open records of a unit.
    ViewRecord(RecordRef<'a>),
    /// Record a visit at a unit.
    RecordVisit(RecordRef<'a>),
    /// Register or handle a petition at a unit; edit a case.
    HandlePetition(RecordRef<'a>),
    /// Read aggregate figures (reports, summary) of a unit's subtree.
    ViewAggregates(RecordRef<'a>),
    /// Manage the system-wide catalogues and settings.
    Administer,
    /// Manage the units and user accounts inside a unit's subtree.
    AdministerUnit(RecordRef<'a>),
    /// Manage the reception schedule of a unit's heads.
    ManageSchedule(RecordRef<'a>),
    /// Record the unit's state-management work on complaints and denunciations (inspections,
    /// dissemination, documents: form 06/QLKNTC): those who handle petitions and the leaders.
    RecordManagement(RecordRef<'a>),
    /// Read the coordination records of a unit: programmes and tasks, dialogues, situation
    /// reports, "Dân vận khéo" models.
    ViewCoordination(RecordRef<'a>),
    /// Write them: a task's progress, a dialogue, a situation report, a model's registration.
    Coordinate(RecordRef<'a>),
    /// Check, recognise and commend a model (the board and the leaders).
    AssessModel(RecordRef<'a>),
    /// Read the audit log: administrators all of it, heads and deputies what the users of
    /// their subtree did. Nobody edits it.
    ReadAuditLog,
}

impl PartialEq for RecordRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.unit_path == other.unit_path
    }
}
impl Eq for RecordRef<'_> {}

impl Actor {
    /// True when `path` lies in this user's unit subtree.
    pub fn covers(&self, path: &str) -> bool {
        path.starts_with(&self.unit_path) || self.scope.iter().any(|s| path.starts_with(s.as_str()))
    }

    /// The decision. One function, asked by every route.
    pub fn may(&self, action: Action<'_>) -> bool {
        let r = self.role;
        match action {
            Action::ViewRecord(rec) => self.covers(rec.unit_path),
            Action::RecordVisit(rec) => {
                self.covers(rec.unit_path)
                    && matches!(
                        r,
                        Role::ReceptionOfficer | Role::Head | Role::Deputy | Role::Admin
                    )
            }
            // The unit's state-management work is recorded by those who handle its petitions.
            Action::HandlePetition(rec) | Action::RecordManagement(rec) => {
                self.covers(rec.unit_path)
                    && matches!(
                        r,
                        Role::PetitionHandler | Role::Head | Role::Deputy | Role::Admin
                    )
            }
            Action::ViewAggregates(rec) => {
                self.covers(rec.unit_path) || r == Role::Board || self.unit_is_inspectorate
            }
            Action::Administer => r == Role::Admin,
            Action::AdministerUnit(rec) => r == Role::Admin && self.covers(rec.unit_path),
            Action::ManageSchedule(rec) => {
                self.covers(rec.unit_path)
                    && (r.is_leader() || r == Role::Admin || r == Role::ReceptionOfficer)
            }
            Action::ViewCoordination(rec) => {
                self.coordinates(rec.unit_path) || self.unit_is_inspectorate
            }
            Action::Coordinate(rec) => self.coordinates(rec.unit_path) && r != Role::Viewer,
            Action::ReadAuditLog => r == Role::Admin || r.is_leader(),
            Action::AssessModel(rec) => {
                self.coordinates(rec.unit_path)
                    && matches!(r, Role::Board | Role::Head | Role::Deputy | Role::Admin)
            }
        }
    }

    /// The unit subtrees whose coordination records this user may read, for SQL filters: the
    /// same rule as [`Action::ViewCoordination`].
    pub fn coordination_scope(&self) -> Vec<String> {
        if self.unit_is_inspectorate {
            return vec!["/".into()];
        }
        let mut scope = self.scope.clone();
        if !scope.contains(&self.unit_path) {
            scope.push(self.unit_path.clone());
        }
        if self.role == Role::Board {
            for p in self.board_areas() {
                scope.retain(|s| !s.starts_with(p));
                if !scope.iter().any(|s| p.starts_with(s.as_str())) {
                    scope.push(p.to_owned());
                }
            }
        }
        scope
    }

    /// The area of this user's coordination work: their subtree, and for the mass-mobilisation
    /// board the whole area of the level it serves (a party board sits beside the committee
    /// under the province, and coordinates with every unit of that province).
    fn coordinates(&self, path: &str) -> bool {
        if self.covers(path) {
            return true;
        }
        self.role == Role::Board && self.board_areas().any(|p| path.starts_with(p))
    }

    /// The areas a board serves: the parent of its unit, and of each predecessor board it
    /// inherited (the 2022 provincial board's province for today's merged board).
    fn board_areas(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.unit_path.as_str())
            .chain(self.scope.iter().map(String::as_str))
            .filter_map(parent_path)
    }

    /// May this user see the protected identity (a denouncer's, or since 1/7/2026 any citizen's
    /// at reception) on a record? Only the head of the handling unit, the assigned handlers, and
    /// for reception data the receiving unit's reception officers and leaders. Administrators
    /// are not included: managing the system is not handling the case.
    pub fn may_see_identity(&self, ctx: IdentityContext<'_>) -> bool {
        if ctx.assigned {
            return true;
        }
        if self.role == Role::Head && ctx.handling_unit_path.is_some_and(|p| p == self.unit_path) {
            return true;
        }
        if let Some(p) = ctx.receiving_unit_path
            && p == self.unit_path
            && matches!(
                self.role,
                Role::ReceptionOfficer | Role::Head | Role::Deputy
            )
        {
            return true;
        }
        false
    }
}

/// `/1/4/9/` → `/1/4/`; the root has no parent.
fn parent_path(path: &str) -> Option<&str> {
    let trimmed = path.strip_suffix('/')?;
    let cut = trimmed.rfind('/')?;
    (cut > 0).then(|| &path[..=cut])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, path: &str) -> Actor {
        Actor {
            user_id: 1,
            username: "u".into(),
            role,
            unit_id: 1,
            unit_path: path.into(),
            scope: vec![path.into()],
            unit_is_inspectorate: false,
        }
    }

    #[test]
    fn subtree_scoping() {
        let a = actor(Role::PetitionHandler, "/1/4/");
        let own = RecordRef {
            unit_path: "/1/4/9/",
        };
        let sibling = RecordRef {
            unit_path: "/1/40/",
        };
        let parent = RecordRef { unit_path: "/1/" };
        assert!(a.may(Action::ViewRecord(own)));
        assert!(
            !a.may(Action::ViewRecord(sibling)),
            "/1/40/ is not under /1/4/"
        );
        assert!(!a.may(Action::ViewRecord(parent)));
        assert!(a.may(Action::HandlePetition(own)));
        assert!(!a.may(Action::RecordVisit(own)));
        assert!(!a.may(Action::ViewAggregates(sibling)));
        let mut heir = actor(Role::PetitionHandler, "/20/");
        heir.scope.push("/1/4/".into());
        assert!(
            heir.may(Action::ViewRecord(own)),
            "a successor unit sees its predecessor's records"
        );
    }

    #[test]
    fn board_reads_aggregates_not_records_beyond_its_subtree() {
        let b = actor(Role::Board, "/2/");
        let foreign = RecordRef { unit_path: "/1/4/" };
        assert!(b.may(Action::ViewAggregates(foreign)));
        assert!(!b.may(Action::ViewRecord(foreign)));
        let mut insp = actor(Role::Viewer, "/1/7/");
        insp.unit_is_inspectorate = true;
        assert!(insp.may(Action::ViewAggregates(foreign)));
        assert!(!insp.may(Action::ViewRecord(foreign)));
    }

    #[test]
    fn the_board_coordinates_across_its_province() {
        let board = actor(Role::Board, "/1/2/");
        let commune = RecordRef {
            unit_path: "/1/4/9/",
        };
        let other_province = RecordRef { unit_path: "/5/6/" };
        assert!(board.may(Action::Coordinate(commune)));
        assert!(board.may(Action::AssessModel(commune)));
        assert!(!board.may(Action::ViewCoordination(other_province)));
        assert!(
            !board.may(Action::ViewRecord(commune)),
            "coordination is not the registers"
        );
        let officer = actor(Role::ReceptionOfficer, "/1/4/");
        assert!(officer.may(Action::Coordinate(commune)));
        assert!(!officer.may(Action::AssessModel(commune)));
        let viewer = actor(Role::Viewer, "/1/4/");
        assert!(viewer.may(Action::ViewCoordination(commune)));
        assert!(!viewer.may(Action::Coordinate(commune)));
        assert_eq!(parent_path("/1/"), None);
        let mut merged = actor(Role::Board, "/7/8/");
        merged.scope.push("/1/2/".into());
        assert!(
            merged.may(Action::Coordinate(commune)),
            "a merged board inherits its predecessor's province"
        );
        assert!(merged.coordination_scope().contains(&"/1/".to_owned()));
        assert_eq!(parent_path("/1/2/"), Some("/1/"));
    }

    #[test]
    fn viewers_and_board_cannot_write() {
        for role in [Role::Viewer, Role::Board] {
            let a = actor(role, "/1/");
            let rec = RecordRef { unit_path: "/1/4/" };
            assert!(!a.may(Action::RecordVisit(rec)));
            assert!(!a.may(Action::HandlePetition(rec)));
            assert!(!a.may(Action::Administer));
        }
    }

    #[test]
    fn identity_only_for_head_of_handling_unit_and_assigned() {
        let head = actor(Role::Head, "/1/4/");
        let deputy = actor(Role::Deputy, "/1/4/");
        let admin = actor(Role::Admin, "/1/");
        let upper_head = actor(Role::Head, "/1/");
        let ctx = IdentityContext {
            handling_unit_path: Some("/1/4/"),
            ..Default::default()
        };
        assert!(head.may_see_identity(ctx));
        assert!(!deputy.may_see_identity(ctx));
        assert!(!admin.may_see_identity(ctx));
        assert!(
            !upper_head.may_see_identity(ctx),
            "the head of a parent unit is not the handling unit's head"
        );
        let assigned = IdentityContext {
            assigned: true,
            ..ctx
        };
        assert!(actor(Role::PetitionHandler, "/9/").may_see_identity(assigned));
        let reception = IdentityContext {
            receiving_unit_path: Some("/1/4/"),
            ..Default::default()
        };
        assert!(actor(Role::ReceptionOfficer, "/1/4/").may_see_identity(reception));
        assert!(!actor(Role::PetitionHandler, "/1/4/").may_see_identity(reception));
    }
}
