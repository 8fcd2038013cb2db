//! A small HTTP/1.1 server for pipectl's benchmarks: one thread per connection, keep-alive,
//! std only. Every request is answered `200 OK` with an empty body, which pipectl's HTTP
//! handler contract reads as "success, pass the item on unchanged".
//!
//! Usage: bench-httpd PORT_FILE — binds 127.0.0.1 on a free port, writes the port to
//! PORT_FILE, and serves until killed. On exit (or SIGTERM) nothing needs cleaning up.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};

const RESPONSE: &[u8] = b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n";

fn main() {
    let port_file = std::env::args()
        .nth(1)
        .expect("usage: bench-httpd PORT_FILE");
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let port = listener.local_addr().expect("local address").port();
    std::fs::write(&port_file, format!("{port}\n")).expect("write the port file");
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        std::thread::spawn(move || {
            serve(stream).ok();
        });
    }
}

/// Serves requests on one connection until the client closes it.
fn serve(stream: TcpStream) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::with_capacity(64 * 1024, stream);
    let mut line = String::new();
    let mut body = Vec::new();
    loop {
        // Request line; EOF means the client is done with this connection.
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let mut length = 0usize;
        let mut close = false;
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                let value = value.trim();
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.parse().unwrap_or(0);
                } else if name.eq_ignore_ascii_case("connection") {
                    close = value.eq_ignore_ascii_case("close");
                }
            }
        }
        body.resize(length, 0);
        reader.read_exact(&mut body)?;
        writer.write_all(RESPONSE)?;
        if close {
            return Ok(());
        }
    }
}
