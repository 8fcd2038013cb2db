//! The floor of a one-shot pipectl command: what a process that does nothing but talk to
//! Redis costs. Std only, no configuration, no argument parser: connect to 127.0.0.1:PORT,
//! send one command, read its one reply, print a bulk string reply's bytes (and a newline),
//! exit. It is the baseline of bench/run's case 1 (`pop` against `RPOP`, `enqueue` against
//! `LPUSH`): pipectl cannot start, connect and run one command faster than this.
//!
//! Usage: bench-floor PORT COMMAND [ARG...] — e.g. `bench-floor 6379 RPOP queue`.
//! Exit 0 on any reply but an error reply (`-ERR …`, exit 1); 2 on a usage or I/O error.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: bench-floor PORT COMMAND [ARG...]");
        return ExitCode::from(2);
    }
    match run(&args[0], &args[1..]) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("bench-floor: {err}");
            ExitCode::from(2)
        }
    }
}

fn run(port: &str, command: &[String]) -> std::io::Result<u8> {
    let port: u16 = port
        .parse()
        .map_err(|_| std::io::Error::other("PORT is not a port number"))?;
    let stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_nodelay(true)?;
    let mut request = format!("*{}\r\n", command.len()).into_bytes();
    for arg in command {
        request.extend_from_slice(format!("${}\r\n", arg.len()).as_bytes());
        request.extend_from_slice(arg.as_bytes());
        request.extend_from_slice(b"\r\n");
    }
    (&stream).write_all(&request)?;
    let mut reader = BufReader::new(&stream);
    let mut line = Vec::new();
    reader.read_until(b'\n', &mut line)?;
    let head = String::from_utf8_lossy(&line).trim_end().to_owned();
    let mut out = std::io::stdout().lock();
    match head.as_bytes().first() {
        Some(b'$') => {
            let len: i64 = head[1..]
                .parse()
                .map_err(|_| std::io::Error::other("bad bulk length"))?;
            if len >= 0 {
                let mut body = vec![0; len as usize + 2];
                reader.read_exact(&mut body)?;
                body.truncate(len as usize);
                out.write_all(&body)?;
                out.write_all(b"\n")?;
            }
            Ok(0)
        }
        Some(b'-') => {
            eprintln!("{}", &head[1..]);
            Ok(1)
        }
        Some(_) => {
            writeln!(out, "{}", &head[1..])?;
            Ok(0)
        }
        None => Err(std::io::Error::other("the server closed the connection")),
    }
}
