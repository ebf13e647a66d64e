use std::io::Cursor;

use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use tenant_desk_core::authz::Role;
use tenant_desk_core::profile::AVATAR_PIXELS;
use tenant_desk_core::ErrorCode;

use crate::support::*;

fn encoded(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
    let image = RgbImage::from_fn(width, height, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 128]));
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(image).write_to(&mut Cursor::new(&mut out), format).unwrap();
    out
}

fn stored_png(h: &Harness, account_email: &str) -> Option<Vec<u8>> {
    h.desk
        .db()
        .read(|tx| {
            use tenant_desk_core::store::sql::OptionalExtension;
            Ok(tx
                .query_row(
                    "SELECT v.png FROM account_avatars v JOIN accounts a ON a.id = v.account_id WHERE a.email = ?1",
                    [account_email],
                    |r| r.get(0),
                )
                .optional()?)
        })
        .unwrap()
}

#[test]
fn a_large_photo_is_stored_as_a_small_square_png() {
    let h = Harness::new();
    let (token, _) = h.set_up(false);
    let actor = h.desk.actor(&token).unwrap();
    let photo = encoded(3000, 2000, ImageFormat::Jpeg);
    let profile = h.desk.set_own_avatar(&actor, &photo).unwrap();
    assert!(profile.avatar.as_deref().unwrap_or_default().starts_with("data:image/png;base64,"));

    let png = stored_png(&h, ADMIN_EMAIL).expect("stored");
    let stored = image::load_from_memory_with_format(&png, ImageFormat::Png).unwrap();
    assert_eq!((stored.width(), stored.height()), (AVATAR_PIXELS, AVATAR_PIXELS));
    assert!(png.len() < 300 * 1024, "{} bytes", png.len());
    assert!(png.len() < photo.len(), "smaller than the picked file");
    assert_eq!(h.audit("account.avatar_change").len(), 1);
}

#[test]
fn png_is_accepted_and_replaces_the_previous_avatar() {
    let h = Harness::new();
    let (token, _) = h.set_up(false);
    let actor = h.desk.actor(&token).unwrap();
    let first = h.desk.set_own_avatar(&actor, &encoded(40, 90, ImageFormat::Png)).unwrap().avatar;
    let second = h.desk.set_own_avatar(&actor, &encoded(500, 500, ImageFormat::Png)).unwrap().avatar;
    assert!(first.is_some() && second.is_some() && first != second);
    let stored = image::load_from_memory(&stored_png(&h, ADMIN_EMAIL).unwrap()).unwrap();
    assert_eq!((stored.width(), stored.height()), (AVATAR_PIXELS, AVATAR_PIXELS), "small images are scaled up");
}

#[test]
fn anything_but_a_png_or_jpeg_is_refused_under_the_field() {
    let h = Harness::new();
    let (token, _) = h.set_up(false);
    let actor = h.desk.actor(&token).unwrap();
    let mut truncated = encoded(300, 300, ImageFormat::Png);
    truncated.truncate(truncated.len() / 2);
    // A real GIF of one pixel: an image, but not a format avatars take.
    let gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;".to_vec();
    for (what, bytes) in [
        ("text", b"hello, I am not an image".to_vec()),
        ("empty", Vec::new()),
        ("gif", gif),
        ("truncated png", truncated),
    ] {
        let e = h.desk.set_own_avatar(&actor, &bytes).unwrap_err();
        assert_eq!(e.code, ErrorCode::Validation, "{what}");
        assert!(e.fields.contains_key("avatar"), "{what}: {e:?}");
    }
    let too_big = vec![0u8; 10 * 1024 * 1024 + 1];
    assert_eq!(h.desk.set_own_avatar(&actor, &too_big).unwrap_err().fields["avatar"], "Choose an image of at most 10 MB.");
    assert!(stored_png(&h, ADMIN_EMAIL).is_none(), "nothing stored");
    assert!(h.desk.profile(&actor).unwrap().avatar.is_none());
}

#[test]
fn removing_the_avatar_brings_back_initials() {
    let h = Harness::new();
    let (token, _) = h.set_up(false);
    let actor = h.desk.actor(&token).unwrap();
    h.desk.set_own_avatar(&actor, &encoded(64, 64, ImageFormat::Png)).unwrap();
    assert!(h.desk.remove_own_avatar(&actor).unwrap().avatar.is_none());
    assert!(stored_png(&h, ADMIN_EMAIL).is_none());
    assert_eq!(h.audit("account.avatar_change").len(), 2);
}

#[test]
fn viewers_keep_their_avatar_as_it_is() {
    let h = Harness::new();
    h.set_up(true);
    let viewer = h.actor_of(member_email(Role::TenantViewer));
    let e = h.desk.set_own_avatar(&viewer, &encoded(64, 64, ImageFormat::Png)).unwrap_err();
    assert_eq!(e.code, ErrorCode::NotAllowed);
    assert_eq!(h.desk.remove_own_avatar(&viewer).unwrap_err().code, ErrorCode::NotAllowed);
}
