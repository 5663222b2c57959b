//! Pictures of real workflows: golden images of shipped templates (light and dark), the size
//! and content of a selection, a real run drawn on its workflow, bad input, and the generated
//! TypeScript of the picture types.

use resvg::tiny_skia::Pixmap;
use std::path::{Path, PathBuf};
use std::time::Duration;
use weft_engine::{Command, Engine, EngineOptions, WorkflowFile};
use weft_render::{Picture, RenderError, RunOverlay, Theme, PADDING};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn template(name: &str) -> WorkflowFile {
    weft_engine::load::from_path(&root().join(format!("workflows-templates/{name}.weft.json")))
        .expect("template loads")
}

fn pixmap(
    workflow: &WorkflowFile,
    selection: &[String],
    theme: Theme,
    run: Option<&RunOverlay>,
    scale: f32,
) -> Pixmap {
    let png = weft_render::png(
        &Picture {
            workflow,
            selection,
            theme,
            run,
        },
        scale,
    )
    .expect("drawn");
    Pixmap::decode_png(&png.bytes).expect("a PNG")
}

/// The colour at (x, y) in canvas units of a picture at `scale` whose bounds start at `origin`.
fn at(p: &Pixmap, origin: (f32, f32), scale: f32, x: f32, y: f32) -> [u8; 3] {
    let px = ((x - origin.0 + PADDING) * scale).round() as u32;
    let py = ((y - origin.1 + PADDING) * scale).round() as u32;
    let c = p.pixel(px, py).expect("inside the picture").demultiply();
    [c.red(), c.green(), c.blue()]
}

fn near(a: [u8; 3], b: [u8; 3], by: u8) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= by)
}

#[test]
fn shipped_templates_match_their_golden_images_in_both_themes() {
    // WEFT_UPDATE_GOLDEN=1 rewrites them (look at each before committing).
    let update = std::env::var("WEFT_UPDATE_GOLDEN").as_deref() == Ok("1");
    let mut failures = Vec::new();
    for name in [
        "approval-gated-email",
        "parallel-fetch-join",
        "loop-batch-export",
    ] {
        for (theme, suffix) in [(Theme::Light, "light"), (Theme::Dark, "dark")] {
            let drawn = pixmap(&template(name), &[], theme, None, 1.0);
            let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("tests/golden/{name}.{suffix}.png"));
            if update {
                drawn.save_png(&path).expect("write golden");
                continue;
            }
            let golden =
                Pixmap::load_png(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            if (golden.width(), golden.height()) != (drawn.width(), drawn.height()) {
                failures.push(format!(
                    "{name} {suffix}: {}×{} drawn, {}×{} golden",
                    drawn.width(),
                    drawn.height(),
                    golden.width(),
                    golden.height()
                ));
                continue;
            }
            // A small tolerance: anti-aliasing may move by a shade between versions of resvg.
            let off = drawn
                .pixels()
                .iter()
                .zip(golden.pixels())
                .filter(|(a, b)| {
                    let (a, b) = (a.demultiply(), b.demultiply());
                    a.red().abs_diff(b.red()) > 24
                        || a.green().abs_diff(b.green()) > 24
                        || a.blue().abs_diff(b.blue()) > 24
                })
                .count();
            let share = off as f64 / drawn.pixels().len() as f64;
            if share > 0.002 {
                failures.push(format!(
                    "{name} {suffix}: {off} pixels differ ({:.3} %)",
                    share * 100.0
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "pictures differ from tests/golden (WEFT_UPDATE_GOLDEN=1 after checking): {failures:#?}"
    );
}

#[test]
fn a_selection_is_drawn_alone_at_its_bounds() {
    let wf = template("approval-gated-email");
    let selection: Vec<String> = ["manual", "prepare"].map(String::from).to_vec();
    let svg = weft_render::svg(&Picture {
        workflow: &wf,
        selection: &selection,
        theme: Theme::Light,
        run: None,
    })
    .expect("drawn");
    // The trigger at (0,140) and Prepare at (0,280), both 240 × 64.
    assert_eq!(
        (
            svg.bounds.x,
            svg.bounds.y,
            svg.bounds.width,
            svg.bounds.height
        ),
        (0.0, 140.0, 240.0, 204.0)
    );
    assert_eq!(
        (svg.width, svg.height),
        (240.0 + 2.0 * PADDING, 204.0 + 2.0 * PADDING)
    );
    assert!(
        svg.text.contains(r#"data-activity="manual""#)
            && svg.text.contains(r#"data-activity="prepare""#)
    );
    assert!(
        !svg.text.contains(r#"data-activity="start""#)
            && !svg.text.contains(r#"data-activity="review""#)
    );
    assert!(svg.text.contains(r#"data-transition="manual:ok->prepare""#));
    assert!(
        !svg.text.contains("data-transition=\"prepare:ok->review\""),
        "a transition leaving the selection is not drawn"
    );

    let png = weft_render::png(
        &Picture {
            workflow: &wf,
            selection: &selection,
            theme: Theme::Light,
            run: None,
        },
        2.0,
    )
    .expect("drawn");
    assert_eq!((png.width, png.height), ((240 + 64) * 2, (204 + 64) * 2));
    let p = Pixmap::decode_png(&png.bytes).expect("PNG");
    let origin = (0.0, 140.0);
    let bg = at(&p, origin, 2.0, -20.0, 130.0);
    assert_eq!(bg, [0xf4, 0xf5, 0xf8], "the light canvas");
    // The trigger's bar in its role colour (--role-trigger #ca8a04), its card white.
    assert!(near(at(&p, origin, 2.0, 2.0, 172.0), [0xca, 0x8a, 0x04], 8));
    assert!(near(
        at(&p, origin, 2.0, 220.0, 150.0),
        [0xff, 0xff, 0xff],
        2
    ));
    // Below Prepare's ok port, where the transition to the approval would run: only canvas.
    for y in 350..370 {
        assert_eq!(at(&p, origin, 2.0, 80.0, y as f32), bg, "at y = {y}");
    }
}

#[test]
fn bad_selections_and_empty_workflows_are_named_errors() {
    let wf = template("daily-report");
    let missing = vec!["nope".to_string()];
    let err = weft_render::svg(&Picture {
        workflow: &wf,
        selection: &missing,
        theme: Theme::Light,
        run: None,
    })
    .unwrap_err();
    assert!(
        matches!(&err, RenderError::UnknownActivity(id) if id == "nope"),
        "{err}"
    );
    assert_eq!(err.code(), "WEFT-G002");
    let mut empty = wf.clone();
    empty.activities.clear();
    let err = weft_render::png(
        &Picture {
            workflow: &empty,
            selection: &[],
            theme: Theme::Dark,
            run: None,
        },
        2.0,
    )
    .unwrap_err();
    assert_eq!(err.code(), "WEFT-G001");
    // Far-apart activities: a bitmap over the limit is refused before any memory is taken.
    let mut far = wf.clone();
    far.activities[0].position.x = -1.0e6;
    far.activities[1].position.y = 1.0e6;
    let err = weft_render::png(
        &Picture {
            workflow: &far,
            selection: &[],
            theme: Theme::Light,
            run: None,
        },
        2.0,
    )
    .unwrap_err();
    assert_eq!(err.code(), "WEFT-G003", "{err}");
    // Labels with markup and control characters are text, not SVG.
    let mut hostile = wf.clone();
    hostile.activities[1].label = "<script>alert(1)</script> & \u{1} \"q\"".into();
    let svg = weft_render::svg(&Picture {
        workflow: &hostile,
        selection: &[],
        theme: Theme::Light,
        run: None,
    })
    .expect("drawn");
    assert!(!svg.text.contains("<script>") && svg.text.contains("&lt;script&gt;"));
    weft_render::png(
        &Picture {
            workflow: &hostile,
            selection: &[],
            theme: Theme::Light,
            run: None,
        },
        1.0,
    )
    .expect("rasterised");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_real_run_is_drawn_with_its_states_and_counts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut options = EngineOptions::new(dir.path().join("weft.db"));
    options.poll_interval = Duration::from_millis(50);
    let engine = Engine::open(options).expect("open");
    engine.start().expect("owner");
    let body: WorkflowFile = weft_engine::load::from_value(serde_json::json!({
        "format": 1, "name": "Drawn run",
        "activities": [
            {"id": "start", "kind": "start", "position": {"x": 0, "y": 0}},
            {"id": "set", "kind": "set_variables", "label": "Set", "config": {"variables": {"a": "1"}}, "position": {"x": 0, "y": 140}},
            {"id": "check", "kind": "condition", "label": "Is it two?", "config": {"expression": "vars.a == \"2\""}, "position": {"x": 0, "y": 280}},
            {"id": "yes", "kind": "finish", "position": {"x": -160, "y": 440}},
            {"id": "no", "kind": "finish", "position": {"x": 160, "y": 440}}
        ],
        "transitions": [
            {"from": "start", "to": "set"}, {"from": "set", "to": "check"},
            {"from": "check", "port": "true", "to": "yes"}, {"from": "check", "port": "false", "to": "no"}
        ]
    }))
    .expect("loads");
    let id = engine.create_workflow(&body).expect("create").id;
    let record = engine
        .command_and_wait(
            Some(&id),
            Command::RunNow {
                params: serde_json::json!({}),
                simulate: false,
            },
            Duration::from_secs(10),
        )
        .await
        .expect("run now");
    let run_id = record
        .outcome
        .as_ref()
        .and_then(|o| o.run())
        .expect("a run");
    for _ in 0..200 {
        if engine.run(run_id).expect("run").summary.status.is_final() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (drawn_body, overlay) =
        weft_render::run_picture(&engine, run_id).expect("the run's picture");
    assert_eq!(
        drawn_body,
        engine.workflow(&id).expect("workflow").1,
        "the run's revision"
    );
    assert_eq!(
        overlay.activities["set"].visual,
        weft_render::overlay::Visual::Done
    );
    assert_eq!(
        overlay.activities["yes"].visual,
        weft_render::overlay::Visual::Skipped,
        "the branch not taken"
    );
    assert!(overlay.edges[&("check".into(), "true".into(), "yes".into())].dead);

    let p = pixmap(&drawn_body, &[], Theme::Light, Some(&overlay), 2.0);
    if let Ok(dir) = std::env::var("WEFT_RENDER_OUT") {
        p.save_png(Path::new(&dir).join("run.png")).expect("saved");
    }
    let origin = (-160.0, 0.0);
    let success = [0x16, 0xa3, 0x4a];
    // A done card has a success border; the taken transition is drawn in the success colour.
    assert!(
        near(at(&p, origin, 2.0, 120.0, 140.5), success, 40),
        "{:?}",
        at(&p, origin, 2.0, 120.0, 140.5)
    );
    // Start (160 wide) leaves at (80, 53) and reaches Set at (120, 130): an S whose middle is
    // the middle of its ends (Set → Check carries its port's label there instead).
    let start_to_set_middle = (100.0, (53.0 + 130.0) / 2.0);
    let stroke = (-4..=4)
        .flat_map(|d| {
            [at(
                &p,
                origin,
                2.0,
                start_to_set_middle.0 + d as f32 * 0.5,
                start_to_set_middle.1,
            )]
        })
        .any(|c| near(c, success, 50));
    assert!(stroke, "the taken transition is green");
    // The skipped Finish is greyed (45 % opacity, no colour), the reached one is not.
    let unreached = at(&p, origin, 2.0, -160.0 + 25.0, 440.0 + 24.0);
    let reached = at(&p, origin, 2.0, 160.0 + 25.0, 440.0 + 24.0);
    assert_ne!(
        unreached, reached,
        "reached and unreached Finish look different"
    );
    engine.shutdown();
}

#[test]
fn the_generated_picture_types_are_up_to_date() {
    let path = root().join("ui/src/bridge/generated/picture.ts");
    let committed = std::fs::read_to_string(&path).expect("picture.ts");
    assert_eq!(
        committed,
        weft_render::typescript(),
        "stale: run `weft gen-ts --out ui/src/bridge/generated`"
    );
}
