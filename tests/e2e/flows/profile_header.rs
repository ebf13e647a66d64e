use std::io::Cursor;
use std::path::Path;

use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use tenant_desk_e2e::{seed, Install};

use crate::flows_util::*;

fn photo(path: &Path) {
    let image = RgbImage::from_fn(1200, 800, |x, y| Rgb([(x / 5 % 256) as u8, (y / 4 % 256) as u8, 160]));
    let mut bytes = Vec::new();
    DynamicImage::ImageRgb8(image).write_to(&mut Cursor::new(&mut bytes), ImageFormat::Jpeg).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("{e}"));
}

/// Phone and company are saved with field errors first; an avatar picked
/// from a file shows in the header and the menu; a non-image is refused;
/// removing it brings back the initials.
#[tokio::test(flavor = "multi_thread")]
async fn contact_details_and_avatar() {
    let install = Install::new("profile-header");
    seed::set_up(install.data_dir(), false);
    let mut app = install.launch().await;
    sign_in(&app, seed::ADMIN_EMAIL).await;

    app.fill("Phone number", "12-34").await;
    app.click("Update").await;
    app.field_message("Phone number", "Enter 7 to 15 digits, with an optional leading +.").await;
    app.screenshot("phone-error").await;
    app.fill("Phone number", "+4930123456").await;
    app.fill("Company", "Navy").await;
    app.click("Update").await;
    app.see(&status("User updated successfully")).await;
    app.see("//header//p[normalize-space(.)='Navy · +4930123456']").await;
    assert_eq!(seed::account_details(install.data_dir(), seed::ADMIN_EMAIL).1, "+4930123456");

    let me_initials = "//nav//button[starts-with(@aria-label, 'Profile: ')]//span[@class='avatar small' and @data-initials='GH']";
    app.see(me_initials).await;
    // Cancelling the chooser changes nothing and says nothing.
    app.cancel_file_chooser("Add avatar", "Choose an avatar").await;
    app.see(&button("Add avatar")).await;
    assert!(!app.exists_now("//p[@id='avatar-error']").await, "cancelling is not an error");
    let file = install.data_dir().join("portrait.jpg");
    photo(&file);
    app.choose_file("Add avatar", "Choose an avatar", &file).await;
    app.see(&status("Avatar updated")).await;
    app.see("//header//img[@alt='Your avatar' and starts-with(@src, 'data:image/png;base64,')]").await;
    app.see("//nav//button[starts-with(@aria-label, 'Profile: ')]//img[starts-with(@src, 'data:image/png')]").await;
    app.screenshot("avatar").await;

    let text = install.data_dir().join("notes.png");
    std::fs::write(&text, "not an image at all").unwrap_or_else(|e| panic!("{e}"));
    app.choose_file("Change avatar", "Choose an avatar", &text).await;
    app.see("//p[@id='avatar-error' and normalize-space(.)='Choose a PNG or JPEG image.']").await;
    app.screenshot("not-an-image").await;

    app.click("Remove avatar").await;
    app.see(&status("Avatar removed")).await;
    app.gone("//header//img[@alt='Your avatar']").await;
    app.see(me_initials).await;
    app.quit().await;
}
