//! The device's position (GPS works without signal) and coordinates as forms keep them.

/// Asks the device for its position once (GPS works without signal); `done` gets
/// (latitude, longitude), or `None` when refused or without a fix.
pub fn current_position(done: impl FnOnce(Option<(f64, f64)>) + 'static) {
    #[cfg(feature = "hydrate")]
    {
        use std::cell::RefCell;
        use std::rc::Rc;
        use wasm_bindgen::{closure::Closure, JsCast, JsValue};
        type Done = Box<dyn FnOnce(Option<(f64, f64)>)>;
        let done: Rc<RefCell<Option<Done>>> = Rc::new(RefCell::new(Some(Box::new(done))));
        let finish = move |done: &Rc<RefCell<Option<Done>>>, point| {
            if let Some(done) = done.borrow_mut().take() {
                done(point);
            }
        };
        let Some(geolocation) = web_sys::window().and_then(|w| w.navigator().geolocation().ok())
        else {
            return finish(&done, None);
        };
        let on_fix = done.clone();
        // The position types are unstable in web-sys: read the two numbers by name.
        let found = Closure::once_into_js(move |position: JsValue| {
            let number = |object: &JsValue, name: &str| {
                js_sys::Reflect::get(object, &JsValue::from_str(name))
                    .ok()
                    .and_then(|v| v.as_f64())
            };
            let coords = js_sys::Reflect::get(&position, &JsValue::from_str("coords"))
                .unwrap_or(JsValue::UNDEFINED);
            let point = number(&coords, "latitude").zip(number(&coords, "longitude"));
            finish(&on_fix, point);
        });
        let on_error = done.clone();
        let failed = Closure::once_into_js(move |_: JsValue| finish(&on_error, None));
        if geolocation
            .get_current_position_with_error_callback(
                found.unchecked_ref(),
                Some(failed.unchecked_ref()),
            )
            .is_err()
        {
            finish(&done, None);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    done(None);
}

/// A coordinate as the form keeps it (text), for the record: empty is none, and anything
/// that is not a number breaks the same range rule the server checks.
pub fn coordinate(text: &str) -> Option<f64> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.parse().unwrap_or(f64::NAN))
}
