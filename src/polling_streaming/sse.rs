//! The server-sent events wire format, written and read: `id:` and `data:` fields, one per
//! line, and a blank line to end each event, as the HTML standard's `EventSource` parses it.

// ANCHOR: parser
/// One event, as a browser's `EventSource` hands it to the page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event:` field, or `message` when there was none.
    pub event: String,
    /// The `data:` lines, joined with line feeds.
    pub data: String,
    /// The last `id:` seen on the stream so far (sent back as `Last-Event-ID` on reconnect).
    pub last_event_id: String,
}

/// Reads a stream of bytes arriving in arbitrary chunks and returns the events each chunk
/// completes. Lines end with CRLF, LF or CR; a line starting with `:` is a comment; one space
/// after the colon is dropped; an event with no `data` is not dispatched.
///
/// ```
/// use sysdesign::polling_streaming::SseParser;
/// let mut p = SseParser::default();
/// assert!(p.feed("id: 7\ndata: hel").is_empty());
/// let events = p.feed("lo\ndata: world\n\n");
/// assert_eq!(events[0].data, "hello\nworld");
/// assert_eq!(events[0].last_event_id, "7");
/// ```
#[derive(Clone, Debug, Default)]
pub struct SseParser {
    line: String,
    after_cr: bool,
    data: String,
    event: String,
    last_event_id: String,
}

impl SseParser {
    /// Takes the next chunk of the stream.
    pub fn feed(&mut self, chunk: &str) -> Vec<SseEvent> {
        let mut out = vec![];
        for c in chunk.chars() {
            // A LF right after a CR ends nothing: the CR already ended the line.
            if std::mem::take(&mut self.after_cr) && c == '\n' {
                continue;
            }
            match c {
                '\r' | '\n' => {
                    self.after_cr = c == '\r';
                    let line = std::mem::take(&mut self.line);
                    out.extend(self.process(&line));
                }
                c => self.line.push(c),
            }
        }
        out
    }

    fn process(&mut self, line: &str) -> Option<SseEvent> {
        if line.is_empty() {
            let event = std::mem::take(&mut self.event);
            let mut data = std::mem::take(&mut self.data);
            if data.is_empty() {
                return None;
            }
            data.pop(); // the line feed after the last data line
            let event = if event.is_empty() {
                "message".into()
            } else {
                event
            };
            return Some(SseEvent {
                event,
                data,
                last_event_id: self.last_event_id.clone(),
            });
        }
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match field {
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
            }
            "event" => self.event = value.to_string(),
            "id" if !value.contains('\0') => self.last_event_id = value.to_string(),
            _ => {} // `retry` and unknown fields do not change the events
        }
        None
    }
}

/// Writes one event in the wire format: `id:` if given, one `data:` line per line of `data`,
/// and a blank line.
///
/// ```
/// assert_eq!(sysdesign::polling_streaming::encode_sse(Some("3"), "a\nb"), "id: 3\ndata: a\ndata: b\n\n");
/// ```
pub fn encode_sse(id: Option<&str>, data: &str) -> String {
    let mut out = String::new();
    if let Some(id) = id {
        out.push_str(&format!("id: {id}\n"));
    }
    for line in data.split('\n') {
        out.push_str(&format!("data: {line}\n"));
    }
    out.push('\n');
    out
}
// ANCHOR_END: parser
