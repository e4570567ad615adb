//! The accept loop: one task per connection, each with a handle a handler can use to drop its
//! connection abruptly (axum's own `serve` offers no way to do that from a handler).

use std::io;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

/// A handle on the connection a request came in on; in every request's extensions.
#[derive(Clone)]
pub(crate) struct Conn(Arc<Control>);

struct Control {
    reset: AtomicBool,
    notify: Notify,
    stop: CancellationToken,
}

impl Conn {
    /// Asks the connection's task to drop the connection now, with an abortive close (RST): no
    /// response is written, whatever the handler does next. The handler should then wait
    /// forever; its future is dropped with the connection.
    pub fn reset(&self) {
        self.0.reset.store(true, Ordering::SeqCst);
        // `notify_one` keeps a permit if the task is not waiting yet, so the request is not lost.
        self.0.notify.notify_one();
    }

    /// Cancelled when the sandbox shuts down, so that deliberate waits end early.
    pub fn stopping(&self) -> &CancellationToken {
        &self.0.stop
    }
}

/// The TCP stream, closed abortively when its connection was reset.
struct ConnIo {
    stream: TcpStream,
    control: Arc<Control>,
}

impl Drop for ConnIo {
    fn drop(&mut self) {
        if self.control.reset.load(Ordering::SeqCst) {
            // SO_LINGER 0: `close` sends RST instead of FIN, so the client sees a reset, as
            // when a proxy or the server process dies. It does not block with a zero timeout.
            let _ = socket2::SockRef::from(&self.stream).set_linger(Some(Duration::ZERO));
        }
    }
}

impl AsyncRead for ConnIo {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for ConnIo {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// Serves `router` over HTTP/1.1 until `stop` is cancelled, then lets open connections finish
/// their current request. Connection tasks live in a `JoinSet`, so aborting this future's task
/// aborts them too: nothing outlives the server.
pub(crate) async fn serve(listener: TcpListener, router: Router, stop: CancellationToken) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(connection(stream, router.clone(), stop.clone()));
                }
                Err(e) => {
                    // Out of file descriptors and the like: wait rather than spin.
                    tracing::warn!(error = %e, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            // Reaps finished connections so the set does not grow for ever.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            () = stop.cancelled() => break,
        }
    }
    drop(listener);
    while connections.join_next().await.is_some() {}
}

async fn connection(stream: TcpStream, router: Router, stop: CancellationToken) {
    let _ = stream.set_nodelay(true);
    let conn = Conn(Arc::new(Control {
        reset: AtomicBool::new(false),
        notify: Notify::new(),
        stop: stop.clone(),
    }));
    let io = TokioIo::new(ConnIo {
        stream,
        control: conn.0.clone(),
    });
    let handle = conn.clone();
    let service = hyper::service::service_fn(move |request: Request<Incoming>| {
        let mut request = request.map(Body::new);
        request.extensions_mut().insert(handle.clone());
        router.clone().oneshot(request)
    });
    let mut serving =
        pin!(hyper::server::conn::http1::Builder::new().serve_connection(io, service));
    let mut draining = false;
    loop {
        tokio::select! {
            result = serving.as_mut() => {
                if let Err(e) = result {
                    tracing::trace!(error = %e, "connection ended with an error");
                }
                break;
            }
            // Dropping `serving` drops the handler's future and the stream, which closes with RST.
            () = conn.0.notify.notified() => {
                if conn.0.reset.load(Ordering::SeqCst) {
                    break;
                }
            }
            () = stop.cancelled(), if !draining => {
                serving.as_mut().graceful_shutdown();
                draining = true;
            }
        }
    }
}
