//! The command line's definition: `--help`, the shell completions and the man
//! page all come from these types.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXIT_CODES: &str = "\
Exit codes:
  0  done
  1  refused or invalid (the message says why; nothing was changed)
  2  usage (an unknown command or option, a missing argument)";

#[derive(Parser)]
#[command(
    name = "tenant-desk-cli",
    version,
    about = "Tenant Desk on the command line: recovery, backups, archives and bulk work, with no window",
    long_about = "Tenant Desk on the command line: recovery, backups, archives and bulk work on the app's data \
                  folder, with no window and no display (over SSH, in a script, on a server).\n\n\
                  Commands that change the store take the data folder's lock, as the app does: while the app \
                  (or a team server) has the folder open they refuse and change nothing. Commands that only \
                  read (check, list, export, verify, diff) work beside it.\n\n\
                  Only the operating-system user who owns the data folder may use it (root included: run it \
                  with sudo -u OWNER): that user can already read and replace every byte of the store. Changes \
                  are audited as the local administrator.",
    after_help = EXIT_CODES
)]
pub struct Cli {
    /// The data folder (default: the app's, ~/.local/share/app.tenantdesk.desktop)
    #[arg(long, global = true, env = "TENANT_DESK_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Machine-readable output: one JSON document on stdout (errors too)
    #[arg(long, global = true)]
    pub json: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Recovery for a locked-out administrator
    #[command(subcommand)]
    Admin(Admin),
    /// Check the store: every page, record and index, every foreign key, the schema version. Changes nothing.
    Check,
    /// Back up, list, verify and restore the whole store
    #[command(subcommand)]
    Backup(Backup),
    /// Tenant archives: export, verify, import as a read-only snapshot, compare snapshots
    #[command(subcommand)]
    Archive(Archive),
    /// List users, or add many from a CSV file
    #[command(subcommand)]
    Users(Users),
    /// Print the completion script of a shell. Changes nothing.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff). Changes nothing.
    Manpage,
}

#[derive(Subcommand)]
pub enum Admin {
    /// Give an account a temporary password and print it. Changes the store: the account's password
    /// (to be replaced at next sign-in); its sessions end, its personal API keys are revoked, its
    /// failed sign-ins are forgotten.
    ResetPassword {
        /// The account's email address
        email: String,
    },
    /// Turn MFA off for an account whose phone and recovery codes are lost. Changes the store: the
    /// account's MFA (its app key and recovery codes go); its sessions end, its personal API keys are
    /// revoked. A tenant requiring MFA asks them to set it up again at next sign-in.
    ResetMfa {
        /// The account's email address
        email: String,
    },
    /// Make an account platform administrator again. Changes the store: the account's platform flag.
    GrantPlatform {
        /// The account's email address
        email: String,
    },
}

#[derive(Subcommand)]
pub enum Backup {
    /// Write a backup of the whole store (every tenant). Changes no data: it writes a file, into the
    /// backup folder unless --to names one, and works beside the app.
    Create {
        /// Where to write it (default: the data folder's backups/, as Back up now)
        #[arg(long, value_name = "FILE")]
        to: Option<PathBuf>,
    },
    /// List the backups of the data folder's backup folder, newest first. Changes nothing.
    List,
    /// Check a backup file completely, as a restore would first. Changes nothing.
    Verify {
        file: PathBuf,
    },
    /// Put a backup in place of the whole store. Changes the store: everything is replaced, after a
    /// copy of the current store is kept in the backup folder (before-restore-…); everyone signs in
    /// again. Works on a store that fails its check too.
    Restore {
        file: PathBuf,
        /// Do not ask for confirmation (needed when not on a terminal)
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Subcommand)]
pub enum Archive {
    /// Write a tenant to an archive file. Changes no data: it reads the store, works beside the app,
    /// and refuses to overwrite a file.
    Export {
        /// The tenant's ID or name
        tenant: String,
        file: PathBuf,
    },
    /// Check an archive as an import would: the report of every problem by file and line. Changes
    /// nothing (it does not read the store).
    Verify {
        file: PathBuf,
    },
    /// Import an archive as a read-only snapshot, given to the account --for names. Changes the store:
    /// a new snapshot; nothing when the archive is refused.
    Import {
        file: PathBuf,
        /// The email address of the account who opens the snapshot in the window
        #[arg(long = "for", value_name = "EMAIL")]
        reader: String,
    },
    /// List the snapshots of the install. Changes nothing.
    List,
    /// Compare two snapshots of one tenant: users added and removed, roles changed, conversations.
    /// Changes nothing.
    Diff {
        /// A snapshot's ID (see `archive list`) or name
        first: String,
        second: String,
    },
}

#[derive(Subcommand)]
pub enum Users {
    /// List users, by tenant then name. Changes nothing.
    List(UserListArgs),
    /// Add users from a CSV file (Name, Email, Role, optional Schedule): every row is checked first,
    /// and then all are added or none. Changes the store: new accounts and memberships, unless
    /// --dry-run. Temporary passwords go to a file only you can read.
    #[command(after_help = "\
The first line names the columns, in any order: Name, Email, Role, and optionally Schedule and
Schedule Timezone. Other columns (such as those of the Users list's CSV export) are ignored.
Role: Tenant Admin, Tenant User, Tenant Viewer or Tenant Operator (or admin, user, viewer, operator).
Schedule (operators only): days and whole hours, like \"Mon-Fri 9-17; Sat 10-14\", in the tenant's
timezone unless Schedule Timezone names another.")]
    Import(UserImportArgs),
}

#[derive(Args)]
pub struct UserListArgs {
    /// Only this tenant (its ID or name)
    #[arg(long)]
    pub tenant: Option<String>,
    /// Only this role (Tenant Admin, admin, tenant_admin, …)
    #[arg(long)]
    pub role: Option<String>,
    /// Only names or addresses containing this, in any case
    #[arg(long)]
    pub search: Option<String>,
    /// Only platform administrators
    #[arg(long)]
    pub platform_admins: bool,
    /// How to print them (--json prints JSON whatever this says)
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Csv,
    Json,
}

#[derive(Args)]
pub struct UserImportArgs {
    pub file: PathBuf,
    /// The tenant to add them to (its ID or name)
    #[arg(long)]
    pub tenant: String,
    /// Check every row and print the report; add no one
    #[arg(long)]
    pub dry_run: bool,
    /// Where to write the temporary passwords (default: temporary-passwords-<time>.csv here); made
    /// readable by you only, and never overwritten
    #[arg(long, value_name = "FILE")]
    pub passwords: Option<PathBuf>,
}
