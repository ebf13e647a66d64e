//! The first run from the command line, as the desktop's Set up your
//! workspace: the workspace, its timezone and its first administrator (a
//! platform administrator). The password comes from standard input, never
//! from the command line where other users' `ps` would see it.

use std::io::BufRead;

use clap::Args;
use tenant_desk_core::setup::SetupInput;
use tenant_desk_core::Desk;

#[derive(Args)]
pub struct SetupArgs {
    /// The workspace (tenant) name.
    #[arg(long)]
    workspace: String,
    /// Its timezone, e.g. Europe/Berlin.
    #[arg(long)]
    timezone: String,
    /// The first administrator's name.
    #[arg(long)]
    admin_name: String,
    /// The first administrator's email, used to sign in.
    #[arg(long)]
    admin_email: String,
}

pub fn run(desk: &Desk, args: SetupArgs) -> Result<(), String> {
    eprintln!("Password for {} (one line on standard input):", args.admin_email);
    let mut password = String::new();
    std::io::stdin().lock().read_line(&mut password).map_err(|e| format!("reading the password: {e}"))?;
    let password = password.trim_end_matches(['\r', '\n']).to_owned();
    let input = SetupInput {
        tenant_name: args.workspace,
        timezone: args.timezone,
        admin_name: args.admin_name,
        email: args.admin_email,
        password,
        load_demo: false,
        load_demo_conversations: false,
    };
    let (token, signed_in) = desk.complete_setup(input).map_err(|e| {
        let fields: Vec<String> = e.fields.iter().map(|(field, message)| format!("{field}: {message}")).collect();
        if fields.is_empty() { e.message } else { fields.join("\n") }
    })?;
    let actor = desk.actor(&token).map_err(|e| e.message)?;
    let tenant = signed_in.tenant.as_ref().ok_or("the workspace was not created")?;
    // Integrations need the key at once; it is shown here, to the person at
    // the terminal, and never logged.
    let key = desk.tenant_api_key(&actor, tenant.id).map_err(|e| e.message)?;
    desk.sign_out(&token).map_err(|e| e.message)?;
    println!("Workspace \"{}\" is set up; {} can sign in.", tenant.name, signed_in.account.email);
    println!("Its tenant API key (shown once here; keep it for integrations): {}", key.expose());
    Ok(())
}
