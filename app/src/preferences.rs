//! What a person sets for this device alone: the text size and installing the app. Kept on
//! the device (a cookie the server reads too, so pages arrive at the chosen size), never sent
//! to the account.
pub mod install;
pub mod text_size;

pub use install::{watch_install_prompt, InstallApp};
pub use text_size::{provide_text_size, TextSizeSetting};
