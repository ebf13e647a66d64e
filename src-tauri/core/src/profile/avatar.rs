//! The avatar: the picked image file is decoded here (PNG or JPEG only),
//! cropped to a square, resized to 256 × 256 and stored as a PNG, so the
//! database never holds the original file and the window never shows more
//! than it needs.

use std::collections::BTreeMap;
use std::io::Cursor;

use base64::Engine;
use image::imageops::FilterType;
use image::{DynamicImage, ImageFormat, ImageReader, Limits};
use crate::store::sql::{params, OptionalExtension, Tx};
use serde_json::json;

use super::{load, Profile};
use crate::authz::{authorize, permit, Actor, Operation};
use crate::error::{Error, ErrorCode, Result};
use crate::audit;
use crate::Desk;

/// Width and height of the stored avatar.
pub const AVATAR_PIXELS: u32 = 256;
/// Larger files are refused before decoding.
pub const MAX_AVATAR_FILE_BYTES: usize = 10 * 1024 * 1024;
/// A decoded image may not claim more pixels than this per side, nor more
/// memory than `MAX_DECODE_BYTES` (a tiny file can claim a huge image).
const MAX_SIDE: u32 = 12_000;
const MAX_DECODE_BYTES: u64 = 512 * 1024 * 1024;

impl Desk {
    /// Replaces one's avatar with the image in `file` (its bytes as picked).
    pub fn set_own_avatar(&self, actor: &Actor, file: &[u8]) -> Result<Profile> {
        authorize(actor, Operation::UpdateOwnDetails)?;
        let png = resize(file)?;
        let now = self.now_millis();
        self.db.write(|tx| {
            let permit = permit(tx, actor, Operation::UpdateOwnDetails)?;
            tx.execute(
                "INSERT INTO account_avatars (account_id, png, modified_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (account_id) DO UPDATE SET png = ?2, modified_at = ?3",
                params![actor.account_id, png, now],
            )?;
            record(tx, actor, now, "set")?;
            load(tx, &permit)
        })
    }

    /// Removes one's avatar; initials are shown instead.
    pub fn remove_own_avatar(&self, actor: &Actor) -> Result<Profile> {
        let now = self.now_millis();
        self.db.write(|tx| {
            let permit = permit(tx, actor, Operation::UpdateOwnDetails)?;
            if tx.execute("DELETE FROM account_avatars WHERE account_id = ?1", [actor.account_id])? > 0 {
                record(tx, actor, now, "removed")?;
            }
            load(tx, &permit)
        })
    }
}

/// Decodes a PNG or JPEG and returns it as a 256 × 256 PNG, cropped to the
/// centre square. Anything else is refused under the `avatar` field.
fn resize(file: &[u8]) -> Result<Vec<u8>> {
    if file.len() > MAX_AVATAR_FILE_BYTES {
        return Err(refused("Choose an image of at most 10 MB."));
    }
    let not_an_image = || refused("Choose a PNG or JPEG image.");
    let mut reader = ImageReader::new(Cursor::new(file)).with_guessed_format().map_err(|_| not_an_image())?;
    if !matches!(reader.format(), Some(ImageFormat::Png | ImageFormat::Jpeg)) {
        return Err(not_an_image());
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let image = reader
        .decode()
        .map_err(|_| refused("This image could not be read. Choose another PNG or JPEG image."))?;
    let square = image.resize_to_fill(AVATAR_PIXELS, AVATAR_PIXELS, FilterType::Triangle);
    let mut png = Vec::new();
    DynamicImage::ImageRgba8(square.to_rgba8())
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .map_err(Error::internal)?;
    Ok(png)
}

/// A validation failure shown under the avatar.
fn refused(message: &str) -> Error {
    Error {
        code: ErrorCode::Validation,
        message: message.to_owned(),
        fields: BTreeMap::from([("avatar".to_owned(), message.to_owned())]),
    }
}

pub(super) fn data_url(tx: &Tx, account_id: i64) -> Result<Option<String>> {
    let png: Option<Vec<u8>> = tx
        .query_row("SELECT png FROM account_avatars WHERE account_id = ?1", [account_id], |r| r.get(0))
        .optional()?;
    Ok(png.map(|png| format!("data:image/png;base64,{}", base64::engine::general_purpose::STANDARD.encode(png))))
}

fn record(tx: &Tx, actor: &Actor, now: i64, what: &str) -> Result<()> {
    audit::record(
        tx,
        audit::Entry {
            at: now,
            actor_account_id: Some(actor.account_id),
            tenant_id: actor.tenant.as_ref().map(|t| t.tenant_id),
            action: "account.avatar_change",
            subject: format!("account:{}", actor.account_id),
            subject_account_id: Some(actor.account_id),
            before: None,
            after: Some(json!({ "avatar": what })),
            via: audit::Via::Window,
        },
    )
}
