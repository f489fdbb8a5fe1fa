//! The development clock `/dev/clock` (M-7): moved forward by a form, seen by every instance,
//! the background jobs run at once after a move; refused input changes nothing; production has
//! no such page.

use crate::common::{Options, TestApp, each_backend, each_backend_with, page_text};
use server::clock::Clock;
use shared::calendar::SHIFT_MESSAGE;

async fn move_by(client: &reqwest::Client, app: &TestApp, by: &str) -> reqwest::Response {
    client
        .post(app.at("/dev/clock"))
        .form(&[("by", by)])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_development_clock_moves_forward_for_every_instance() {
    each_backend(|app| async move {
        let client = app.client();
        let page = client.get(app.at("/dev/clock")).send().await.unwrap();
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains("На сколько перевести часы вперёд"));
        assert!(html.contains("Перевести"));
        // The test clock stands at 20.11.2026 07:00 UTC: 10:00 in Moscow.
        assert!(html.contains("20.11.2026 10:00"), "{html}");

        // A value that cannot be read: its message next to the field, nothing moved.
        let refused = move_by(&client, &app, "36 недель").await;
        assert_eq!(refused.status(), 422);
        let html = refused.text().await.unwrap();
        assert!(
            html.contains(&shared::html::escape(SHIFT_MESSAGE)),
            "{html}"
        );
        assert!(html.contains("value=\"36 недель\""));
        let before = app.services.clock.now();
        assert_eq!(before, app.clock.now());

        // 36 days and 90 minutes forward.
        let moved = move_by(&client, &app, "36d").await;
        assert_eq!(moved.status(), 303);
        assert_eq!(moved.headers()["location"], "/dev/clock?moved=1");
        move_by(&client, &app, "90m").await;
        let expected = 36 * 86_400 + 90 * 60;
        assert_eq!(
            app.services.clock.now().as_second() - app.clock.now().as_second(),
            expected
        );
        let html = page_text(&client, &app, "/dev/clock?moved=1").await;
        assert!(html.contains("26.12.2026 11:30"), "{html}");
        assert!(html.contains("Часы переведены."));

        // Another instance over the same database reads the move.
        let second = app.second_instance().await;
        second.services.sync_dev_clock().await.unwrap();
        assert_eq!(
            second.services.clock.now().as_second() - app.clock.now().as_second(),
            expected
        );
        second.finish().await;
    })
    .await;
}

#[tokio::test]
async fn production_has_no_clock_to_move() {
    let options = Options {
        production: true,
        ..Options::default()
    };
    each_backend_with(options, |app| async move {
        let client = app.client();
        assert_eq!(
            client
                .get(app.at("/dev/clock"))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );
        assert_eq!(move_by(&client, &app, "36d").await.status(), 404);
        assert!(app.services.dev_clock.is_none());
    })
    .await;
}
