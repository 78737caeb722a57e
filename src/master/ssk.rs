//! (loader)
