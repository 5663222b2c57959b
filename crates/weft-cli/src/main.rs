//! `weft`: the headless command line (see the library, [`weft_cli::run`]).

fn main() {
    std::process::exit(weft_cli::run(std::env::args_os()));
}
