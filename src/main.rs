fn main() {
    if std::env::args().nth(1).as_deref() == Some(shohosen::pdf::CHILD_ARG) {
        std::process::exit(shohosen::pdf::child_main())
    }
}
