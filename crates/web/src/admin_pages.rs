//! Administration (Quản trị): topics, criteria, fields, users, units, settings.

use crate::AppState;
use crate::auth::{SessionUser, posted_form};
use crate::error::WebError;
use crate::view::{FormState, Opt, options, qs};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use danvan_domain::Role;
use danvan_domain::access::{Action, RecordRef};
use danvan_domain::format::parse_date;
use std::collections::HashMap;

use crate::pages::{Chrome, chrome, render};
use crate::view::Pairs;

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    chrome: Chrome,
    notice: String,
    /// Which form the errors belong to ("field", "user", "unit", "settings").
    section: String,
    f: FormState,
    fields: Vec<danvan_store::FieldRow>,
    users: Vec<danvan_store::UserRow>,
    units: Vec<Opt>,
    role_opts: Vec<Opt>,
    kind_opts: Vec<Opt>,
    group_threshold: i64,
    attachment_max_mb: i64,
    topics: Vec<danvan_store::coordination::CatalogueItem>,
    criteria: Vec<danvan_store::coordination::CatalogueItem>,
}

/// Administrators: the field catalogue, user accounts and units of their subtree, settings.
pub async fn admin(
    State(state): State<AppState>,
    user: SessionUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let notice = q.get("ok").cloned().unwrap_or_default();
    admin_page(&state, &user, notice, "", FormState::default()).await
}

async fn admin_page(
    state: &AppState,
    user: &SessionUser,
    notice: String,
    section: &str,
    f: FormState,
) -> Result<Response, WebError> {
    if !user.actor.may(Action::Administer) {
        return Err(WebError::Forbidden);
    }
    let units: Vec<_> = state
        .store
        .units()
        .await?
        .into_iter()
        .filter(|u| user.actor.covers(&u.path))
        .collect();
    let users = state
        .store
        .users()
        .await?
        .into_iter()
        .filter(|u| units.iter().any(|x| x.code == u.unit_code))
        .collect();
    let unit_opts = units
        .iter()
        .map(|u| Opt {
            code: u.code.clone(),
            label: format!("{}{}", "· ".repeat(u.depth().saturating_sub(1)), u.name),
            selected: false,
        })
        .collect();
    let status = if f.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let max = state.store.attachment_max_bytes().await?;
    let page = AdminPage {
        chrome: chrome(user, "admin"),
        notice,
        section: section.into(),
        fields: state.store.fields().await?,
        users,
        units: unit_opts,
        role_opts: options(Role::ALL.iter().map(|r| (r.code(), r.label())), f.v("role")),
        kind_opts: options(
            danvan_domain::records::UnitKind::ALL
                .iter()
                .map(|k| (k.code(), k.label())),
            f.v("kind"),
        ),
        group_threshold: state.store.group_threshold().await?,
        attachment_max_mb: max / (1024 * 1024),
        topics: state.store.situation_topics(true).await?,
        criteria: state.store.model_criteria(true).await?,
        f,
    };
    let mut res = render(page);
    *res.status_mut() = status;
    Ok(res)
}

/// One admin form's outcome: back to the page with a notice, or the form again with its errors.
async fn admin_done(
    state: &AppState,
    user: &SessionUser,
    section: &str,
    f: FormState,
    result: Result<(), danvan_store::StoreError>,
    notice: &str,
) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/admin?ok={}", qs(notice))).into_response()),
        Err(danvan_store::StoreError::Invalid(e)) => {
            let f = FormState { errors: e.0, ..f };
            admin_page(state, user, String::new(), section, f).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Adds or edits a topic of situation reports (code, label, active).
pub async fn admin_set_topic(
    State(state): State<AppState>,
    user: SessionUser,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, form)?;
    let result = state
        .store
        .set_situation_topic(&user.actor, f.v("code"), f.v("label"), f.checked("active"))
        .await;
    admin_done(&state, &user, "topic", f, result, "Đã lưu chủ đề tình hình").await
}

/// Adds (no id) or edits a criterion of the "Dân vận khéo" checklist.
pub async fn admin_set_criterion(
    State(state): State<AppState>,
    user: SessionUser,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, form)?;
    let id = f.v("id").trim().parse().ok();
    let result = state
        .store
        .set_model_criterion(&user.actor, id, f.v("label"), f.checked("active"))
        .await;
    admin_done(&state, &user, "criterion", f, result, "Đã lưu tiêu chí").await
}

pub async fn admin_add_field(
    State(state): State<AppState>,
    user: SessionUser,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, form)?;
    if !user.actor.may(Action::Administer) {
        return Err(WebError::Forbidden);
    }
    let parent = Some(f.v("parent_code")).filter(|p| !p.is_empty());
    let result = state
        .store
        .add_field(
            Some(user.actor.user_id),
            f.v("code"),
            parent,
            f.v("label"),
            f.v("narrative_label"),
        )
        .await;
    admin_done(&state, &user, "field", f, result, "Đã thêm lĩnh vực").await
}

pub async fn admin_update_field(
    State(state): State<AppState>,
    user: SessionUser,
    Path(code): Path<String>,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, form)?;
    if !user.actor.may(Action::Administer) {
        return Err(WebError::Forbidden);
    }
    let result = state
        .store
        .update_field(
            Some(user.actor.user_id),
            &code,
            f.v("label"),
            f.v("narrative_label"),
            f.checked("active"),
        )
        .await;
    admin_done(&state, &user, "field", f, result, "Đã lưu lĩnh vực").await
}

/// The unit a form names, if the administrator's subtree holds it (else a field error).
async fn administered_unit(
    state: &AppState,
    user: &SessionUser,
    code: &str,
    field: &str,
) -> Result<Result<danvan_store::UnitRow, danvan_store::StoreError>, WebError> {
    let unit = state.store.unit_by_code(code).await?;
    Ok(match unit {
        Some(u)
            if user
                .actor
                .may(Action::AdministerUnit(RecordRef { unit_path: &u.path })) =>
        {
            Ok(u)
        }
        _ => {
            Err(danvan_domain::Invalid::one(field, "Chọn một đơn vị thuộc phạm vi quản trị").into())
        }
    })
}

pub async fn admin_add_user(
    State(state): State<AppState>,
    user: SessionUser,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, form)?;
    if !user.actor.may(Action::Administer) {
        return Err(WebError::Forbidden);
    }
    let result = match administered_unit(&state, &user, f.v("unit_code"), "unit_code").await? {
        Err(e) => Err(e),
        Ok(unit) => match Role::parse(f.v("role")) {
            None => Err(danvan_domain::Invalid::one("role", "Chọn vai trò").into()),
            Some(role) => state
                .store
                .create_user(
                    Some(user.actor.user_id),
                    &danvan_store::NewUser {
                        username: f.v("username").trim().to_owned(),
                        full_name: f.v("full_name").trim().to_owned(),
                        unit_code: unit.code,
                        role,
                        password: f.v("password").to_owned(),
                    },
                )
                .await
                .map(|_| ()),
        },
    };
    admin_done(&state, &user, "user", f, result, "Đã tạo tài khoản").await
}

pub async fn admin_reset_password(
    State(state): State<AppState>,
    user: SessionUser,
    Path(username): Path<String>,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, form)?;
    let target = state
        .store
        .actor_by_username(&username)
        .await?
        .ok_or(WebError::NotFound)?;
    if !user.actor.may(Action::AdministerUnit(RecordRef {
        unit_path: &target.unit_path,
    })) {
        return Err(WebError::NotFound);
    }
    let result = state
        .store
        .set_password(Some(user.actor.user_id), &username, f.v("password"))
        .await;
    admin_done(&state, &user, "password", f, result, "Đã đặt lại mật khẩu").await
}

/// Unlocks an account locked by failed sign-ins (audited).
pub async fn admin_unlock(
    State(state): State<AppState>,
    user: SessionUser,
    Path(username): Path<String>,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, form)?;
    let result = state.store.unlock_user(&user.actor, &username).await;
    admin_done(&state, &user, "password", f, result, "Đã mở khóa tài khoản").await
}

pub async fn admin_add_unit(
    State(state): State<AppState>,
    user: SessionUser,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, form)?;
    if !user.actor.may(Action::Administer) {
        return Err(WebError::Forbidden);
    }
    let result = match administered_unit(&state, &user, f.v("parent_code"), "parent_code").await? {
        Err(e) => Err(e),
        Ok(parent) => match danvan_domain::records::UnitKind::parse(f.v("kind")) {
            None => Err(danvan_domain::Invalid::one("kind", "Chọn loại đơn vị").into()),
            Some(kind) => {
                let from = f.v("valid_from");
                match (from.is_empty(), parse_date(from)) {
                    (false, None) => Err(danvan_domain::Invalid::one(
                        "valid_from",
                        "Ngày không hợp lệ (dd/mm/yyyy)",
                    )
                    .into()),
                    (_, from) => state
                        .store
                        .insert_unit(
                            Some(user.actor.user_id),
                            &danvan_store::NewUnit {
                                code: f.v("code").trim().to_owned(),
                                name: f.v("name").trim().to_owned(),
                                kind,
                                parent_code: Some(parent.code),
                                area_code: Some(f.v("area_code").trim().to_owned())
                                    .filter(|a| !a.is_empty()),
                                valid_from: from.map(|d| d.to_string()),
                                valid_to: None,
                            },
                        )
                        .await
                        .map(|_| ()),
                }
            }
        },
    };
    admin_done(&state, &user, "unit", f, result, "Đã thêm đơn vị").await
}

pub async fn admin_settings(
    State(state): State<AppState>,
    user: SessionUser,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, form)?;
    let mut errors = danvan_domain::FieldErrors::default();
    let threshold = f
        .v("group_threshold")
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (2..=100).contains(n));
    if threshold.is_none() {
        errors.add("group_threshold", "Nhập một số từ 2 đến 100");
    }
    let max_mb = f
        .v("attachment_max_mb")
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (1..=64).contains(n));
    if max_mb.is_none() {
        errors.add("attachment_max_mb", "Nhập một số từ 1 đến 64 (MB)");
    }
    let result = match (threshold, max_mb) {
        (Some(t), Some(m)) => {
            match state
                .store
                .set_setting(&user.actor, "group_threshold", &t.to_string())
                .await
            {
                Ok(()) => {
                    state
                        .store
                        .set_setting(
                            &user.actor,
                            "attachment_max_bytes",
                            &(m * 1024 * 1024).to_string(),
                        )
                        .await
                }
                Err(e) => Err(e),
            }
        }
        _ => Err(danvan_domain::Invalid(errors).into()),
    };
    admin_done(&state, &user, "settings", f, result, "Đã lưu thiết lập").await
}

/// An administrator turns off a user's second factor (a lost phone), audited.
pub async fn admin_totp_reset(
    State(state): State<AppState>,
    user: SessionUser,
    Path(username): Path<String>,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, form)?;
    let result = state.store.totp_off(&user.actor, &username, None).await;
    admin_done(
        &state,
        &user,
        "password",
        f,
        result,
        "Đã tắt xác thực hai bước",
    )
    .await
}
