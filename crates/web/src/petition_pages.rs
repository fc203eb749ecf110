//! The petition register (sổ xử lý đơn): the list and the inbox, the form, a petition and
//! what is done on it — attachments, the redacted copy, replies to transfers.

use crate::AppState;
use crate::auth::{SessionUser, check_csrf, posted_form};
use crate::error::WebError;
use crate::view::{FormState, Opt, Pager, date, num, opt_date, options};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use danvan_domain::access::{Action, RecordRef};
use danvan_domain::format::parse_date;
use danvan_domain::records::{Decision, PetitionDraft, PetitionSource, PetitionType, SenderKind};
use danvan_store::{Page, PetitionFilter};
use std::collections::HashMap;

use crate::letter_pages::record_letters;
use crate::pages::{
    Chrome, Labels, ListQuery, chrome, field_checker, field_options, person_draft, rejected,
    render, saved_or_again, type_label, unit_options,
};
use crate::view::Pairs;

pub struct PetitionLine {
    pub code: String,
    pub arrival_no: String,
    pub date: String,
    pub unit: String,
    pub sender: String,
    pub masked: bool,
    pub sender_kind: String,
    pub petition_type: String,
    pub field: String,
    pub summary: String,
    pub decision: String,
    pub decision_date: String,
    pub target: String,
    pub case_code: String,
    pub transfer_status: String,
}

impl PetitionLine {
    pub(crate) fn from(p: &danvan_store::PetitionRow, labels: &Labels) -> Self {
        let kind = SenderKind::parse(&p.sender_kind)
            .map(|k| k.label())
            .unwrap_or("");
        PetitionLine {
            code: p.code.clone(),
            arrival_no: p.arrival_no.clone(),
            date: date(p.received_date),
            unit: p.unit_name.clone(),
            sender: p.sender_name.clone(),
            masked: p.identity_masked,
            sender_kind: if p.sender_kind == "many" {
                format!("{kind} ({} người)", num(p.signer_count))
            } else {
                kind.to_owned()
            },
            petition_type: type_label(&p.petition_type),
            field: labels.field(&p.field_code),
            summary: p.summary.clone(),
            decision: p
                .decision
                .as_deref()
                .and_then(Decision::parse)
                .map(|d| d.label())
                .unwrap_or("Chưa xử lý")
                .into(),
            decision_date: opt_date(p.decision_date),
            target: p.target_unit_name.clone().unwrap_or_default(),
            case_code: p.case_code.clone(),
            transfer_status: match p.transfer_status.as_deref() {
                Some("pending") => "Chờ trả lời".into(),
                Some("accepted") => "Đã thụ lý".into(),
                Some("returned") => "Trả lại".into(),
                _ => String::new(),
            },
        }
    }
}

#[derive(Template)]
#[template(path = "petitions.html")]
struct PetitionsPage {
    chrome: Chrome,
    title: &'static str,
    base: &'static str,
    q: ListQuery,
    filter_error: String,
    rows: Vec<PetitionLine>,
    pager: Pager,
    type_opts: Vec<Opt>,
    field_opts: Vec<Opt>,
    decision_opts: Vec<Opt>,
    may_create: bool,
}

async fn petition_list(
    state: AppState,
    user: SessionUser,
    q: ListQuery,
    inbox: bool,
) -> Result<Response, WebError> {
    let (dates, filter_error) = match q.dates() {
        Ok(d) => (d, String::new()),
        Err(e) => ((None, None), e),
    };
    let filter = PetitionFilter {
        from: dates.0,
        to: dates.1,
        unit_path: q.unit_path(&state).await?,
        petition_type: ListQuery::none_if_empty(&q.petition_type),
        field_code: ListQuery::none_if_empty(&q.field),
        decision: ListQuery::none_if_empty(&q.decision),
        text: ListQuery::none_if_empty(&q.q),
        inbox,
    };
    let page = Page::new(q.page.unwrap_or(1), 50);
    let list = state
        .store
        .list_petitions(&user.actor, &filter, page)
        .await?;
    let labels = Labels::load(&state).await?;
    let base = if inbox { "/inbox" } else { "/petitions" };
    let mut decisions = vec![("none", "Chưa xử lý")];
    decisions.extend(Decision::ALL.iter().map(|d| (d.code(), d.label())));
    Ok(render(PetitionsPage {
        title: if inbox {
            "Đơn chuyển đến (chờ trả lời)"
        } else {
            "Sổ xử lý đơn"
        },
        base,
        rows: list
            .items
            .iter()
            .map(|p| PetitionLine::from(p, &labels))
            .collect(),
        pager: Pager::new(&list, base, &q.query_string()),
        type_opts: options(
            PetitionType::ALL.iter().map(|t| (t.code(), t.label())),
            &q.petition_type,
        ),
        field_opts: field_options(&state, &q.field).await?,
        decision_opts: options(decisions, &q.decision),
        may_create: user.actor.may(Action::HandlePetition(RecordRef {
            unit_path: &user.actor.unit_path,
        })),
        filter_error,
        q,
        chrome: chrome(&user, if inbox { "inbox" } else { "petitions" }),
    }))
}

pub async fn petitions(
    State(state): State<AppState>,
    user: SessionUser,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    petition_list(state, user, q, false).await
}

pub async fn inbox(
    State(state): State<AppState>,
    user: SessionUser,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    petition_list(state, user, q, true).await
}

#[derive(Template)]
#[template(path = "petition_form.html")]
struct PetitionFormPage {
    chrome: Chrome,
    f: FormState,
    unit_opts: Vec<Opt>,
    source_opts: Vec<Opt>,
    sender_opts: Vec<Opt>,
    type_opts: Vec<Opt>,
    field_opts: Vec<Opt>,
    decision_opts: Vec<Opt>,
    target_opts: Vec<Opt>,
    yesno_eligible: Vec<Opt>,
    yesno_competent: Vec<Opt>,
}

async fn petition_form(
    state: &AppState,
    user: &SessionUser,
    f: FormState,
) -> Result<PetitionFormPage, WebError> {
    let actor = user.actor.clone();
    let all_units = state.store.units().await?;
    let yesno = |v: &str| options([("", "Chưa xác định"), ("1", "Có"), ("0", "Không")], v);
    Ok(PetitionFormPage {
        unit_opts: unit_options(state, user, f.v("unit_code"), |p| {
            actor.may(Action::HandlePetition(RecordRef { unit_path: p }))
        })
        .await?,
        source_opts: options(
            PetitionSource::ALL.iter().map(|k| (k.code(), k.label())),
            f.v("source"),
        ),
        sender_opts: options(
            SenderKind::ALL.iter().map(|k| (k.code(), k.label())),
            if f.v("sender_kind").is_empty() {
                "one"
            } else {
                f.v("sender_kind")
            },
        ),
        type_opts: options(
            PetitionType::ALL.iter().map(|k| (k.code(), k.label())),
            f.v("petition_type"),
        ),
        field_opts: field_options(state, f.v("field_code")).await?,
        decision_opts: options(
            std::iter::once(("", "Chưa xử lý"))
                .chain(Decision::ALL.iter().map(|k| (k.code(), k.label()))),
            f.v("decision"),
        ),
        target_opts: std::iter::once(Opt {
            code: String::new(),
            label: "—".into(),
            selected: false,
        })
        .chain(
            all_units
                .iter()
                .filter(|u| u.valid_to.is_none())
                .map(|u| Opt {
                    code: u.code.clone(),
                    label: u.name.clone(),
                    selected: u.code == f.v("target_unit_code"),
                }),
        )
        .collect(),
        yesno_eligible: yesno(f.v("eligible")),
        yesno_competent: yesno(f.v("competent")),
        chrome: chrome(user, "petitions"),
        f,
    })
}

pub async fn new_petition(
    State(state): State<AppState>,
    user: SessionUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let mut f = FormState::default();
    f.values.insert("received_date".into(), date(state.today()));
    for key in ["case", "visit"] {
        if let Some(v) = q.get(key) {
            f.values.insert(format!("{key}_code"), v.clone());
        }
    }
    Ok(render(petition_form(&state, &user, f).await?))
}

pub(crate) fn petition_draft(f: &FormState) -> PetitionDraft {
    PetitionDraft {
        arrival_no: f.take("arrival_no"),
        received_date: f.take("received_date"),
        source: f.take("source"),
        sender_kind: f.take("sender_kind"),
        signer_count: f.take("signer_count"),
        sender: person_draft(f, "sender."),
        subject: f.take("subject"),
        subject_unit_code: f.take("subject_unit_code"),
        petition_type: f.take("petition_type"),
        field_code: f.take("field_code"),
        summary: f.take("summary"),
        eligible: f.take("eligible"),
        eligibility_reason: f.take("eligibility_reason"),
        competent: f.take("competent"),
        decision: f.take("decision"),
        decision_date: f.take("decision_date"),
        target_unit_code: f.take("target_unit_code"),
        case_code: f.take("case_code"),
        visit_code: f.take("visit_code"),
        related: related_answers(f),
    }
}

/// The officer's answer to each suggestion the form showed (`shown[i]`, `why[i]`): the one
/// picked in `related` ("link:CODE" or "duplicate:CODE"), the others dismissed.
pub(crate) fn related_answers(f: &FormState) -> Vec<(String, String, String)> {
    let picked = f.v("related");
    (0..crate::related_pages::SHOWN_MAX)
        .map_while(|i| {
            let code = f.v(&format!("shown[{i}]"));
            (!code.is_empty()).then(|| (code.to_owned(), f.take(&format!("why[{i}]"))))
        })
        .map(|(code, why)| {
            let choice = match picked.split_once(':') {
                Some((action, c)) if c == code => action.to_owned(),
                _ => "dismiss".to_owned(),
            };
            (choice, code, why)
        })
        .collect()
}

pub async fn create_petition(
    State(state): State<AppState>,
    user: SessionUser,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, form)?;
    let draft = petition_draft(&f);
    let exists = field_checker(&state).await?;
    let result = match draft.check(state.today(), &exists) {
        Ok(input) => {
            state
                .store
                .create_petition(&user.actor, f.v("unit_code"), &input)
                .await
        }
        Err(inv) => Err(inv.into()),
    };
    saved_or_again(
        result,
        f,
        |code| format!("/petitions/{code}?created=1"),
        |form| async { Ok(render(petition_form(&state, &user, form).await?)) },
    )
    .await
}

#[derive(Template)]
#[template(path = "petition.html")]
struct PetitionPage {
    chrome: Chrome,
    p: PetitionLine,
    d: danvan_store::PetitionDetail,
    source: String,
    eligible: String,
    competent: String,
    created: bool,
    today: String,
    attach_error: String,
    clocks: Vec<crate::deadline_pages::ClockLine>,
    event_error: String,
    letters: Vec<danvan_store::letters::Letter>,
    letter_kinds: Vec<(&'static str, &'static str)>,
    letter_record: String,
    related: Vec<danvan_store::related::ChoiceRow>,
    /// A denunciation whose denouncer the reader may see: the redacted copy and the waivers.
    protection: bool,
    waivers: Vec<danvan_store::protection::Waiver>,
}

fn yes_no(v: Option<bool>) -> String {
    match v {
        Some(true) => "Có".into(),
        Some(false) => "Không".into(),
        None => "Chưa xác định".into(),
    }
}

pub async fn petition(
    State(state): State<AppState>,
    user: SessionUser,
    Path(code): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    petition_page(
        &state,
        &user,
        &code,
        q.contains_key("created"),
        String::new(),
        String::new(),
    )
    .await
}

/// The petition page with an error next to the clock events form.
pub(crate) async fn petition_page_with(
    state: &AppState,
    user: &SessionUser,
    code: &str,
    attach_error: String,
    event_error: String,
) -> Result<Response, WebError> {
    petition_page(state, user, code, false, attach_error, event_error).await
}

async fn petition_page(
    state: &AppState,
    user: &SessionUser,
    code: &str,
    created: bool,
    attach_error: String,
    event_error: String,
) -> Result<Response, WebError> {
    let d = state.store.petition_detail(&user.actor, code).await?;
    let clocks = crate::deadline_pages::petition_clock_lines(state, user, code).await?;
    let (letters, mut letter_kinds) =
        record_letters(state, user, &d.row.case_code, code, false).await?;
    if !d.may_attach {
        letter_kinds.clear();
    }
    let labels = Labels::load(state).await?;
    let protection = d.row.petition_type == "TC" && !d.row.identity_masked;
    let waivers = if protection {
        state.store.waivers(code).await?
    } else {
        vec![]
    };
    Ok(render(PetitionPage {
        protection,
        waivers,
        p: PetitionLine::from(&d.row, &labels),
        source: PetitionSource::parse(&d.row.source)
            .map(|s| s.label())
            .unwrap_or("")
            .into(),
        eligible: yes_no(d.row.eligible),
        competent: yes_no(d.row.competent),
        created,
        today: date(state.today()),
        attach_error,
        clocks,
        event_error,
        letters,
        letter_kinds,
        letter_record: code.to_owned(),
        related: state.store.related_choices(&user.actor, code).await?,
        d,
        chrome: chrome(user, "petitions"),
    }))
}

/// GET /petitions/{code}/redacted.docx: the copy of a denunciation without its denouncer, for
/// a verification team (Art. 56.2).
pub async fn redacted_copy(
    State(state): State<AppState>,
    user: SessionUser,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let bytes = state
        .store
        .redacted_copy(&user.actor, &code, state.today())
        .await?;
    Ok(crate::view::word_file(
        &format!("ban-sao-da-che-{code}.docx"),
        bytes,
    ))
}

/// POST /petitions/{code}/waiver: the denouncer declined protection (who, when).
pub async fn record_waiver(
    State(state): State<AppState>,
    user: SessionUser,
    Path(code): Path<String>,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, form)?;
    let Some(on) = parse_date(f.v("waived_on")) else {
        return Err(WebError::Invalid({
            let mut e = danvan_domain::FieldErrors::default();
            e.add("waived_on", "Ngày không hợp lệ (dd/mm/yyyy)");
            e
        }));
    };
    state
        .store
        .record_waiver(&user.actor, &code, on, f.v("note"), state.today())
        .await?;
    Ok(Redirect::to(&format!("/petitions/{code}")).into_response())
}

/// POST /petitions/{code}/related/{id}/undo: undoes a link or a duplicate mark made when the
/// petition was entered.
pub async fn undo_related(
    State(state): State<AppState>,
    user: SessionUser,
    Path((code, id)): Path<(String, i64)>,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    posted_form(&user, form)?;
    state
        .store
        .undo_related_choice(&user.actor, &code, id)
        .await?;
    Ok(Redirect::to(&format!("/petitions/{code}")).into_response())
}

/// Upload of a file to a petition (multipart: `_csrf`, `file`). A refused file re-renders the
/// petition with the reason next to the upload field.
pub async fn attach(
    State(state): State<AppState>,
    user: SessionUser,
    Path(code): Path<String>,
    multipart: axum::extract::Multipart,
) -> Result<Response, WebError> {
    let (name, bytes) = upload(&user, multipart).await?;
    let dir = state.config.attachments_dir.clone();
    match state
        .store
        .attach_to_petition(&user.actor, &dir, &code, &name, &bytes)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/petitions/{code}")).into_response()),
        Err(danvan_store::StoreError::Invalid(e)) => {
            let message = e.0.0.get("file").cloned().unwrap_or_default();
            Ok(rejected(
                petition_page(&state, &user, &code, false, message, String::new()).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// The file of an upload form (`file`), once its CSRF token (`_csrf`) is checked.
pub(crate) async fn upload(
    user: &SessionUser,
    mut multipart: axum::extract::Multipart,
) -> Result<(String, Vec<u8>), WebError> {
    let mut csrf = String::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    let unreadable = |_| WebError::BadRequest("Không đọc được tệp gửi lên".into());
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("_csrf") => csrf = field.text().await.map_err(unreadable)?,
            Some("file") => {
                let name = field.file_name().unwrap_or("").to_owned();
                let bytes = field.bytes().await.map_err(unreadable)?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    check_csrf(user, Some(&csrf))?;
    Ok(file.unwrap_or_default())
}

/// Sends a file of a petition (or a programme) the reader may see, as a download.
pub async fn attachment(
    State(state): State<AppState>,
    user: SessionUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let dir = state.config.attachments_dir.clone();
    let (row, bytes) = state.store.open_attachment(&user.actor, &dir, id).await?;
    let ascii: String = danvan_vntext::fold(&row.file_name)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        crate::view::qs(&row.file_name).replace('+', "%20")
    );
    Ok((
        [
            (header::CONTENT_TYPE, row.media_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-store".into()),
        ],
        bytes,
    )
        .into_response())
}

pub async fn reply_transfer(
    State(state): State<AppState>,
    user: SessionUser,
    Path(code): Path<String>,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, form)?;
    let on = parse_date(f.v("reply_on"))
        .ok_or_else(|| WebError::BadRequest("Ngày trả lời không hợp lệ".into()))?;
    if on > state.today() {
        return Err(WebError::BadRequest(
            "Ngày trả lời không được sau hôm nay".into(),
        ));
    }
    state
        .store
        .reply_transfer(
            &user.actor,
            &code,
            f.v("status") == "accepted",
            f.v("reply_note"),
            on,
        )
        .await?;
    Ok(Redirect::to(&format!("/petitions/{code}")).into_response())
}
