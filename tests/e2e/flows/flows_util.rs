pub use tenant_desk_e2e::locate::*;
