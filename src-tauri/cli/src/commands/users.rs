//! `users list` and `users import`: every user of the install, and many new
//! ones at once from a CSV file.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use tenant_desk_core::authz::Role;
use tenant_desk_core::list_csv;
use tenant_desk_core::users::{UserFilter, UserImport, UserImportReport};
use tenant_desk_core::{Error, ErrorCode, Result};

use super::Done;
use crate::args::{ListFormat, UserImportArgs, UserListArgs, Users};
use crate::folder;
use crate::output::{table, Output};
use crate::progress::with_bar;

pub fn run(dir: &Path, command: Users, out: Output) -> Result<Done> {
    match command {
        Users::List(args) => list(dir, args, out),
        Users::Import(args) => import(dir, args, out),
    }
}

fn list(dir: &Path, args: UserListArgs, out: Output) -> Result<Done> {
    let opened = folder::open_to_read(dir)?;
    let tenant_id = match &args.tenant {
        Some(t) => Some(opened.desk.tenant_named(&opened.local, t)?.0),
        None => None,
    };
    let role = match &args.role {
        Some(r) => Some(role_named(r)?),
        None => None,
    };
    let filter = UserFilter { tenant_id, role, search: args.search.unwrap_or_default(), platform_admins_only: args.platform_admins };
    let users = opened.desk.all_users(&opened.local, &filter)?;
    match args.format {
        _ if out.json => out.show(&users, String::new),
        ListFormat::Json => Output { json: true }.show(&users, String::new),
        ListFormat::Csv => print!("{}", list_csv::users_across_tenants(&users)?),
        ListFormat::Table => {
            let mut rows = vec![vec!["ID".into(), "Name".into(), "Email".into(), "Role".into(), "Tenant".into(), "Platform admin".into()]];
            for u in &users {
                let platform = if u.platform_admin { "yes" } else { "" };
                rows.push(vec![u.id.to_string(), u.name.clone(), u.email.clone(), u.role.label().into(), u.tenant_name.clone(), platform.into()]);
            }
            print!("{}", table(&rows));
        }
    }
    Ok(Done::Ok)
}

fn role_named(text: &str) -> Result<Role> {
    Role::named(text)
        .ok_or_else(|| Error::new(ErrorCode::Validation, "Name a role: Tenant Admin, Tenant User, Tenant Viewer or Tenant Operator."))
}

fn import(dir: &Path, args: UserImportArgs, out: Output) -> Result<Done> {
    let csv = std::fs::read(&args.file).map_err(|e| Error::file_system(format!("cannot read {}: {e}", args.file.display())))?;
    let csv = String::from_utf8(csv)
        .map_err(|_| Error::new(ErrorCode::Validation, format!("{} is not UTF-8 text; save it as CSV UTF-8.", args.file.display())))?;
    let opened = folder::open_to_change(dir)?;
    let (tenant_id, _) = opened.desk.tenant_named(&opened.local, &args.tenant)?;
    // The passwords' file is made first, so that they can never be lost
    // after the users were added.
    let mut passwords = match args.dry_run {
        true => None,
        false => Some(PasswordsFile::create(args.passwords.unwrap_or_else(default_passwords_file))?),
    };
    let input = UserImport { tenant_id, csv, dry_run: args.dry_run };
    let report = with_bar("Adding users", out.json, |p| opened.desk.import_users_locally(&opened.local, &input, p));
    let report = match report {
        Ok(report) => report,
        Err(e) => {
            if let Some(file) = passwords.take() {
                file.discard();
            }
            return Err(e);
        }
    };
    let written_to = match (passwords, report.written) {
        (Some(file), true) => Some(file.write(&report)?),
        (Some(file), false) => {
            file.discard();
            None
        }
        (None, _) => None,
    };
    // The passwords are in their file only, never on the terminal or in a log.
    let printed = UserImportReport { temporary_passwords: vec![], ..report.clone() };
    out.show(&ImportPrinted { report: &printed, passwords_file: written_to.as_deref() }, || human(&report, written_to.as_deref()));
    Ok(if report.problems.is_empty() { Done::Ok } else { Done::Refused })
}

#[derive(serde::Serialize)]
struct ImportPrinted<'a> {
    #[serde(flatten)]
    report: &'a UserImportReport,
    passwords_file: Option<&'a Path>,
}

fn human(report: &UserImportReport, passwords: Option<&Path>) -> String {
    let mut text = String::new();
    if !report.ignored_columns.is_empty() {
        text.push_str(&format!("Columns not read: {}.\n", report.ignored_columns.join(", ")));
    }
    if !report.problems.is_empty() {
        text.push_str(&format!("The file is refused; no one was added ({} read). Problems:\n", counted(report.rows as usize, "row", "rows")));
        for p in &report.problems {
            let column = if p.column.is_empty() { String::new() } else { format!(", {}", p.column) };
            text.push_str(&format!("  line {}{column}: {}\n", p.line, p.problem));
        }
        if report.more_problems {
            text.push_str("  … and more problems.\n");
        }
        return text;
    }
    if !report.written {
        text.push_str(&format!(
            "{}; nothing was added (dry run). These would be added to {}:\n",
            counted(report.users.len(), "row is valid", "rows are valid"),
            report.tenant_name
        ));
        let mut rows = vec![vec!["Line".into(), "Name".into(), "Email".into(), "Role".into()]];
        for u in report.users.iter().take(20) {
            rows.push(vec![u.line.to_string(), u.name.clone(), u.email.clone(), u.role.label().into()]);
        }
        text.push_str(&table(&rows));
        if report.users.len() > 20 {
            text.push_str(&format!("… and {} more.\n", report.users.len() - 20));
        }
        return text;
    }
    text.push_str(&format!("Added {} to {}.\n", counted(report.users.len(), "user", "users"), report.tenant_name));
    if let Some(path) = passwords {
        text.push_str(&format!(
            "Their temporary passwords are in {} (readable by you only). Each person replaces theirs at first sign-in; \
             delete the file once they have them.\n",
            path.display()
        ));
    }
    text
}

/// "1 user", "40 users".
fn counted(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn default_passwords_file() -> PathBuf {
    PathBuf::from(format!("temporary-passwords-{}.csv", chrono::Local::now().format("%Y-%m-%d-%H%M%S")))
}

/// The temporary passwords' file: new (never overwriting one), readable and
/// writable by its owner only.
struct PasswordsFile {
    path: PathBuf,
    file: File,
}

impl PasswordsFile {
    fn create(path: PathBuf) -> Result<Self> {
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => {
                Error::new(ErrorCode::Validation, format!("{} exists already; name a new file with --passwords.", path.display()))
            }
            _ => Error::file_system(format!("cannot create {}: {e}", path.display())),
        })?;
        Ok(Self { path, file })
    }

    fn write(mut self, report: &UserImportReport) -> Result<PathBuf> {
        let text = list_csv::temporary_passwords(&report.temporary_passwords)?;
        self.file
            .write_all(text.as_bytes())
            .and_then(|()| self.file.sync_all())
            .map_err(|e| Error::file_system(format!("cannot write {}: {e}", self.path.display())))?;
        Ok(std::fs::canonicalize(&self.path).unwrap_or(self.path))
    }

    fn discard(self) {
        let _ = std::fs::remove_file(&self.path);
    }
}
