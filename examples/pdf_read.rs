//! Reads one PDF with `shohosen::pdf::read` and prints its lines (cells joined by tabs).
//! `benches/pdf_vs_pdftotext.sh` times it next to `shohosen parse` (the extraction alone,
//! in-process, without the CLI, the isolation child and the rest of the pipeline).
//!
//! `cargo run --release --example pdf_read -- FILE [--geom | --rules [--glyphs] | --second | --load | --objcost]`
//! (`--geom`: cell extents; `--rules`: engine and table rules; `--glyphs`: every glyph;
//! `--second`: lines from the second engine alone; `--load`: only parse, for timing;
//! `--objcost`: time to parse the objects of each kind with lopdf, to see where loading goes).

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: pdf_read FILE [--geom]");
        std::process::exit(2);
    };
    let geom = args.iter().any(|a| a == "--geom");
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("io: {e}");
            std::process::exit(2);
        }
    };
    if args.iter().any(|a| a == "--phases") {
        // microseconds: load, extract as loaded, extract after stripping font programs,
        // second engine, lines
        let t = std::time::Instant::now();
        let mut doc = pdf_extract::Document::load_mem(&bytes).expect("load");
        let load = t.elapsed().as_micros();
        let t = std::time::Instant::now();
        let _ = shohosen::pdf::extract(&doc).expect("extract");
        let plain = t.elapsed().as_micros();
        let t = std::time::Instant::now();
        shohosen::pdf::strip_unused_font_programs(&mut doc);
        let ex = shohosen::pdf::extract(&doc).expect("extract");
        let stripped = t.elapsed().as_micros();
        let t = std::time::Instant::now();
        let _ = shohosen::pdf::second::extract(&doc, 1_000_000);
        let second = t.elapsed().as_micros();
        let t = std::time::Instant::now();
        let _ = shohosen::pdf::lines::lines_with_rules(&ex.glyphs, &ex.rules);
        let lines = t.elapsed().as_micros();
        println!("{load} {plain} {stripped} {second} {lines}");
        return;
    }
    if args.iter().any(|a| a == "--objcost") {
        let doc = pdf_extract::Document::load_mem(&bytes).expect("load");
        let ids: Vec<_> = doc.objects.keys().copied().collect();
        let kinds: Vec<String> = ids
            .iter()
            .map(|id| match doc.objects.get(id) {
                Some(pdf_extract::Object::Stream(s)) => format!(
                    "stream:{}",
                    s.dict
                        .get(b"Subtype")
                        .or_else(|_| s.dict.get(b"Type"))
                        .and_then(pdf_extract::Object::as_name)
                        .map(|n| String::from_utf8_lossy(n).into_owned())
                        .unwrap_or_default()
                ),
                Some(pdf_extract::Object::Dictionary(d)) => format!(
                    "dict:{}",
                    d.get(b"Subtype")
                        .or_else(|_| d.get(b"Type"))
                        .and_then(pdf_extract::Object::as_name)
                        .map(|n| String::from_utf8_lossy(n).into_owned())
                        .unwrap_or_default()
                ),
                Some(o) => o.enum_variant().to_string(),
                None => "?".into(),
            })
            .collect();
        let reader = lopdf_reader(&bytes, doc);
        let mut by: std::collections::BTreeMap<String, (usize, u128)> = Default::default();
        for (id, k) in ids.iter().zip(kinds) {
            let t = std::time::Instant::now();
            for _ in 0..20 {
                let _ = reader.get_object(*id, &mut Default::default());
            }
            let e = by.entry(k).or_default();
            e.0 += 1;
            e.1 += t.elapsed().as_nanos() / 20;
        }
        for (k, (n, ns)) in by {
            println!("{k:30} {n:5} {:8} us", ns / 1000);
        }
        return;
    }
    if args.iter().any(|a| a == "--load") {
        let doc = pdf_extract::Document::load_mem(&bytes).expect("load");
        println!("{} objects", doc.objects.len());
        return;
    }
    if args.iter().any(|a| a == "--second") {
        let doc = pdf_extract::Document::load_mem(&bytes).expect("load");
        let (glyphs, _, rules) = shohosen::pdf::second::extract(&doc, 1_000_000).expect("second");
        for l in shohosen::pdf::lines::lines_with_rules(&glyphs, &rules.rules) {
            println!("{}", l.raw);
        }
        return;
    }
    if args.iter().any(|a| a == "--rules") {
        let doc = pdf_extract::Document::load_mem(&bytes).expect("load");
        let ex = shohosen::pdf::extract(&doc).expect("extract");
        println!(
            "engine {} glyphs {} rules {}",
            ex.engine,
            ex.glyphs.len(),
            ex.rules.len()
        );
        if args.iter().any(|a| a == "--glyphs") {
            for g in &ex.glyphs {
                println!(
                    "{:?} x{:.1} y{:.1} w{:.1} s{:.1}",
                    g.text, g.x, g.y, g.w, g.size
                );
            }
            return;
        }
        for r in ex.rules.iter().take(30) {
            println!("{r:?}");
        }
        return;
    }
    match shohosen::pdf::read(&bytes) {
        Ok(sheets) => {
            for (i, s) in sheets.iter().enumerate() {
                if sheets.len() > 1 {
                    println!("== sheet {}", i + 1);
                }
                for l in &s.lines {
                    if geom {
                        let cells: Vec<String> = l
                            .cells
                            .iter()
                            .map(|c| format!("[{:.1}-{:.1}]{}", c.x0, c.x1, c.text))
                            .collect();
                        println!("p{} y{:.1} {}", l.page, l.y, cells.join(" | "));
                    } else {
                        println!("{}", l.raw);
                    }
                }
            }
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    }
}

fn lopdf_reader(bytes: &[u8], document: pdf_extract::Document) -> pdf_extract::Reader<'_> {
    pdf_extract::Reader {
        buffer: bytes,
        document,
        encryption_state: None,
        raw_objects: Default::default(),
        password: None,
        strict: false,
    }
}
