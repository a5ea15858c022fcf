//! The dashboard's runtime: the terminal, the keyboard, the refresh interval, and the tasks that
//! perform the model's [`Effect`]s against the hub.
//!
//! Every hub call runs in its own task and answers with a [`Msg`], so the screen never waits on
//! the network: a slow page or a reboot followed to its end leaves the keys responsive.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crossterm::event::{self, Event, KeyEvent, KeyEventKind};
use crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use futures::StreamExt as _;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

use super::actions;
use super::fleet::{self, ConnectionCounts};
use super::model::{Effect, Model, Msg};
use super::rollouts;
use super::source::FleetSource;
use super::view::{self, Theme};
use crate::dm::exec::on_device;
use crate::exit::CliError;
use crate::printer::{OutputFormat, Printer, Terminal as TerminalFacts, Verbosity};
use crate::rollout::store::Store;

/// Devices an action works on at once.
const ACTION_CONCURRENCY: usize = 16;

/// A printer that shows nothing: the dashboard owns the screen, and the typed commands' code
/// it reuses must not write spinners or messages over it.
pub fn silent_printer() -> Printer {
    Printer::new(
        OutputFormat::Json,
        Verbosity::Quiet,
        true,
        TerminalFacts {
            stdout_tty: false,
            stderr_tty: false,
            no_color: true,
            columns: None,
        },
    )
}

/// Performs one effect, sending its answers to `tx` as they come. `plans` is the rollout plan
/// store of this machine (`None`: no state directory, so no local plans).
pub async fn perform<S: FleetSource>(
    source: &S,
    printer: &Printer,
    plans: Option<&Store>,
    effect: Effect,
    tx: &UnboundedSender<Msg>,
) {
    // A closed channel means the dashboard is gone; the answer has nowhere to go.
    let send = |msg: Msg| {
        let _ = tx.send(msg);
    };
    match effect {
        Effect::Reload {
            generation,
            condition,
            page_size,
        } => {
            let count_query = fleet::count_query(condition.as_deref());
            let fleet_query = fleet::fleet_query(condition.as_deref());
            // Each answer goes to the screen as it arrives: the rows need not wait for the
            // count (on a slow hub the first screen shows the rows first).
            let counts = async {
                let counts = source
                    .query_page(&count_query, None, iothub_client::MAX_PAGE_SIZE)
                    .await;
                send(Msg::Counts {
                    generation,
                    result: counts.map(|p| ConnectionCounts::from_rows(&p.rows)),
                });
            };
            let page = async {
                let result = source.query_page(&fleet_query, None, page_size).await;
                send(Msg::Page { generation, result });
            };
            tokio::join!(counts, page);
        }
        Effect::LoadMore {
            generation,
            condition,
            continuation,
            page_size,
        } => {
            let query = fleet::fleet_query(condition.as_deref());
            let result = source
                .query_page(&query, Some(&continuation), page_size)
                .await;
            send(Msg::Page { generation, result });
        }
        Effect::Refresh {
            condition,
            ids,
            counts,
        } => {
            let counts = if counts {
                source
                    .query_page(
                        &fleet::count_query(condition.as_deref()),
                        None,
                        iothub_client::MAX_PAGE_SIZE,
                    )
                    .await
                    .map(|p| Some(ConnectionCounts::from_rows(&p.rows)))
            } else {
                Ok(None)
            };
            let rows = if ids.is_empty() {
                Ok(Vec::new())
            } else {
                source
                    .query_page(&fleet::rows_query(&ids), None, iothub_client::MAX_PAGE_SIZE)
                    .await
                    .map(|p| p.rows)
            };
            send(Msg::Refreshed(match (rows, counts) {
                (Ok(rows), Ok(counts)) => Ok((rows, counts)),
                (Err(err), _) | (_, Err(err)) => Err(err),
            }));
        }
        Effect::LoadTwin(device_id) => {
            let result = source.twin(&device_id).await;
            send(Msg::Twin { device_id, result });
        }
        Effect::LoadRollouts {
            generation,
            continuation,
        } => {
            let result = source
                .query_page(
                    &rollouts::query(),
                    continuation.as_deref(),
                    iothub_client::MAX_PAGE_SIZE,
                )
                .await;
            send(Msg::RolloutsPage { generation, result });
        }
        Effect::LoadLocalPlans => {
            send(Msg::LocalPlans(
                plans.map_or_else(|| Ok(Vec::new()), rollouts::read_local),
            ));
        }
        Effect::DryRun {
            action,
            extra,
            devices,
        } => {
            let result = async {
                let mut plan = action.plan(&extra, &devices)?;
                plan.dry_run = true;
                let first = devices
                    .first()
                    .ok_or_else(|| CliError::usage("no device selected"))?;
                let out = on_device(printer, source, &plan, first, false).await?;
                Ok(out
                    .request
                    .map_or_else(|| action.label(&extra), |r| r.line()))
            }
            .await;
            send(Msg::DryRun {
                action,
                extra,
                devices,
                result,
            });
        }
        Effect::Run {
            action,
            extra,
            devices,
            first,
        } => {
            let plan = match action.plan(&extra, &devices) {
                Ok(plan) => plan,
                Err(err) => {
                    for index in first..first + devices.len() {
                        send(Msg::ActionDone {
                            index,
                            result: Err(CliError::new(err.exit(), err.message())),
                        });
                    }
                    return;
                }
            };
            let (plan, send) = (&plan, &send);
            futures::stream::iter(devices.iter().enumerate())
                .for_each_concurrent(ACTION_CONCURRENCY, |(i, device_id)| async move {
                    let result = on_device(printer, source, plan, device_id, false)
                        .await
                        .map(|out| actions::outcome(&out));
                    send(Msg::ActionDone {
                        index: first + i,
                        result,
                    });
                })
                .await;
        }
        Effect::Quit => {}
    }
}

/// Raw mode and the alternate screen for as long as it lives; restored on drop, also when
/// leaving by an error or a panic.
struct Screen;

impl Screen {
    fn enter() -> Result<Self, CliError> {
        terminal::enable_raw_mode().map_err(|e| CliError::io("the terminal", e))?;
        let screen = Screen;
        crossterm::execute!(io::stdout(), EnterAlternateScreen, crossterm::cursor::Hide)
            .map_err(|e| CliError::io("the terminal", e))?;
        Ok(screen)
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        let _ = crossterm::execute!(io::stdout(), LeaveAlternateScreen, crossterm::cursor::Show);
        let _ = terminal::disable_raw_mode();
    }
}

/// What the input thread reports.
enum Input {
    /// A key press.
    Key(KeyEvent),
    /// The terminal changed size (redraw).
    Resize,
}

/// Runs the dashboard on the terminal until the operator quits.
pub async fn run<S>(
    source: Arc<S>,
    mut model: Model,
    theme: Theme,
    interval: Duration,
) -> Result<(), CliError>
where
    S: FleetSource + Send + Sync + 'static,
{
    let printer = Arc::new(silent_printer());
    // Without a state directory there are no local plans; the hub's records still show.
    let plans = Arc::new(Store::open_default().ok());
    let screen = Screen::enter()?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))
        .map_err(|e| CliError::io("the terminal", e))?;
    let (msg_tx, mut msg_rx) = unbounded_channel();
    let (input_tx, mut input_rx) = unbounded_channel();
    let stop = Arc::new(AtomicBool::new(false));
    let reader = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                match event::poll(Duration::from_millis(100)) {
                    Ok(false) => continue,
                    Ok(true) => {}
                    Err(_) => break,
                }
                let input = match event::read() {
                    Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => Input::Key(key),
                    Ok(Event::Resize(..)) => Input::Resize,
                    Ok(_) => continue,
                    Err(_) => break,
                };
                if input_tx.send(input).is_err() {
                    break;
                }
            }
        })
    };
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + interval, interval);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let result = loop {
        let mut quit = false;
        for effect in model.take_effects() {
            if effect == Effect::Quit {
                quit = true;
                continue;
            }
            let (source, printer, plans, tx) = (
                Arc::clone(&source),
                Arc::clone(&printer),
                Arc::clone(&plans),
                msg_tx.clone(),
            );
            tokio::spawn(async move {
                perform(&*source, &printer, plans.as_ref().as_ref(), effect, &tx).await;
            });
        }
        if quit {
            break Ok(());
        }
        if let Err(e) =
            terminal.draw(|frame| view::render(frame, &mut model, theme, jiff::Timestamp::now()))
        {
            break Err(CliError::io("the terminal", e));
        }
        tokio::select! {
            input = input_rx.recv() => match input {
                Some(Input::Key(key)) => model.on_key(key, Instant::now()),
                Some(Input::Resize) => {}
                None => break Err(CliError::failure("the terminal's input ended")),
            },
            Some(msg) = msg_rx.recv() => model.on_msg(msg, Instant::now()),
            _ = tick.tick() => model.on_tick(Instant::now()),
        }
    };
    stop.store(true, Ordering::Relaxed);
    let _ = reader.join();
    drop(terminal);
    drop(screen);
    let _ = std::fs::remove_dir_all(actions::bundle_dir());
    result
}
