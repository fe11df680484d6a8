//! The HTML reference published beside each bundled document.
//!
//! One self-contained page per service, rendered from the bundled document:
//! endpoints and the region table, authentication, every operation with its
//! parameters (constraints included) and responses (headers, body schema,
//! example as pretty JSON), every schema with its fields, and what the `x-hwc-`
//! extensions mean for a client. It loads nothing: the CSS is inline, there is
//! no script, and fonts are the reader's own. Every piece of text from the
//! spec is escaped; the only markup added to it is `code` for backquoted spans.

use std::fmt::Write;

use crate::spec::order::Node;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Renders the reference page of one bundled document. `source` names the
/// spec file it was bundled from (for example `spec/dcs.yaml`).
pub fn render(doc: &Node, source: &str) -> String {
    let mut page = Page {
        doc,
        out: String::new(),
    };
    page.render(source);
    page.out
}

struct Page<'a> {
    doc: &'a Node,
    out: String,
}

/// An operation with where it lives.
struct Operation<'a> {
    path: &'a str,
    method: &'a str,
    item: &'a Node,
    op: &'a Node,
}

impl Operation<'_> {
    fn id(&self) -> &str {
        self.op
            .get("operationId")
            .and_then(Node::as_str)
            .unwrap_or_default()
    }

    fn anchor(&self) -> String {
        if self.id().is_empty() {
            anchor("op", &format!("{}-{}", self.method, self.path))
        } else {
            anchor("op", self.id())
        }
    }
}

impl<'a> Page<'a> {
    fn render(&mut self, source: &str) {
        let doc = self.doc;
        let title = str_at(doc, "/info/title");
        let version = str_at(doc, "/info/version");
        let openapi = str_at(doc, "/openapi");
        let operations = self.operations();
        let schemas = doc.pointer("/components/schemas").map(Node::entries);

        self.push("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        self.push("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        self.push(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
             style-src 'unsafe-inline'; img-src data:\">\n",
        );
        let _ = writeln!(
            self.out,
            "<title>{} {} - API reference</title>",
            esc(title),
            esc(version)
        );
        let _ = writeln!(self.out, "<style>{CSS}</style>\n</head>\n<body>");

        // Header.
        self.push("<header class=\"top\">\n");
        let _ = writeln!(self.out, "<h1>{}</h1>", esc(title));
        let _ = writeln!(
            self.out,
            "<p class=\"meta\"><span class=\"badge version\">version {}</span> \
             <span class=\"badge\">OpenAPI {}</span> bundled from <code>{}</code> \
             &middot; <a href=\"openapi.yaml\">openapi.yaml</a> \
             &middot; <a href=\"openapi.json\">openapi.json</a></p>",
            esc(version),
            esc(openapi),
            esc(source)
        );
        if let Some(d) = doc.pointer("/info/description").and_then(Node::as_str) {
            let _ = writeln!(self.out, "<p>{}</p>", text(d));
        }
        self.push("</header>\n<div class=\"layout\">\n");

        // Table of contents.
        self.push("<nav class=\"toc\">\n<h2>Contents</h2>\n<ul>\n");
        self.push("<li><a href=\"#endpoints\">Endpoints and regions</a></li>\n");
        self.push("<li><a href=\"#authentication\">Authentication</a></li>\n");
        self.push("<li><a href=\"#operations\">Operations</a>\n<ul>\n");
        for op in &operations {
            let _ = writeln!(
                self.out,
                "<li><a href=\"#{}\"><span class=\"m {}\">{}</span> {}</a></li>",
                op.anchor(),
                esc(op.method),
                esc(&op.method.to_ascii_uppercase()),
                esc(op.id())
            );
        }
        self.push("</ul></li>\n<li><a href=\"#schemas\">Schemas</a>\n<ul>\n");
        for (name, _) in schemas.unwrap_or_default() {
            let _ = writeln!(
                self.out,
                "<li><a href=\"#{}\">{}</a></li>",
                anchor("schema", name),
                esc(name)
            );
        }
        self.push("</ul></li>\n<li><a href=\"#extensions\">Extensions</a></li>\n</ul>\n</nav>\n");

        self.push("<main>\n");
        self.endpoints();
        self.authentication();
        self.push("<section id=\"operations\">\n<h2>Operations</h2>\n");
        for op in &operations {
            self.operation(op);
        }
        self.push("</section>\n<section id=\"schemas\">\n<h2>Schemas</h2>\n");
        for (name, schema) in schemas.unwrap_or_default() {
            self.schema(name, schema);
        }
        self.push("</section>\n");
        self.extensions();
        self.push("</main>\n</div>\n");
        let _ = writeln!(
            self.out,
            "<footer>{} {} &middot; generated by <code>cargo xtask publish</code> from \
             <code>{}</code></footer>\n</body>\n</html>",
            esc(title),
            esc(version),
            esc(source)
        );
    }

    fn push(&mut self, s: &str) {
        self.out.push_str(s);
    }

    fn operations(&self) -> Vec<Operation<'a>> {
        let mut out = Vec::new();
        for (path, item) in self.doc.get("paths").map(Node::entries).unwrap_or_default() {
            for (method, op) in item.entries() {
                if METHODS.contains(&method.as_str()) {
                    out.push(Operation {
                        path,
                        method,
                        item,
                        op,
                    });
                }
            }
        }
        out
    }

    fn endpoints(&mut self) {
        let doc = self.doc;
        self.push("<section id=\"endpoints\">\n<h2>Endpoints and regions</h2>\n");
        let servers = doc.get("servers").and_then(Node::as_array).unwrap_or(&[]);
        for server in servers {
            let url = server.get("url").and_then(Node::as_str).unwrap_or_default();
            let _ = writeln!(self.out, "<p>Server URL: <code>{}</code></p>", esc(url));
            if let Some(d) = server.get("description").and_then(Node::as_str) {
                let _ = writeln!(self.out, "<p>{}</p>", text(d));
            }
            for (name, variable) in server
                .get("variables")
                .map(Node::entries)
                .unwrap_or_default()
            {
                if name == "region" {
                    continue;
                }
                let _ = writeln!(
                    self.out,
                    "<p>Variable <code>{}</code>: {} (default <code>{}</code>)</p>",
                    esc(name),
                    text(
                        variable
                            .get("description")
                            .and_then(Node::as_str)
                            .unwrap_or_default()
                    ),
                    esc(&variable
                        .get("default")
                        .map(Node::to_text)
                        .unwrap_or_default())
                );
            }
            let Some(region) = server.pointer("/variables/region") else {
                continue;
            };
            let default = region
                .get("default")
                .and_then(Node::as_str)
                .unwrap_or_default();
            let exceptions = server.get("x-hwc-endpoint-exceptions");
            if let Some(d) = region.get("description").and_then(Node::as_str) {
                let _ = writeln!(
                    self.out,
                    "<p>Variable <code>region</code>: {} Default: <code>{}</code>.</p>",
                    text(d),
                    esc(default)
                );
            }
            if let Some(service) = doc.get("x-hwc-sdk-service").and_then(Node::as_str) {
                let _ = writeln!(
                    self.out,
                    "<p>As in the official SDKs, the environment variable \
                     <code>HUAWEICLOUD_SDK_REGION_{}_&lt;REGION&gt;</code> (region id upper-cased, \
                     <code>-</code> as <code>_</code>) overrides the endpoint of a region \
                     (<code>x-hwc-sdk-service: {}</code>).</p>",
                    esc(service),
                    esc(service)
                );
            }
            let regions = region.get("enum").and_then(Node::as_array).unwrap_or(&[]);
            let _ = writeln!(
                self.out,
                "<p class=\"dim\">{} regions; those marked <em>exception</em> do not follow the \
                 URL pattern (<code>x-hwc-endpoint-exceptions</code>).</p>\n\
                 <table class=\"regions\">\n<thead><tr><th>Region</th><th>Endpoint</th></tr>\
                 </thead>\n<tbody>",
                regions.len()
            );
            for r in regions {
                let id = r.to_text();
                let exception = exceptions.and_then(|e| e.get(&id)).and_then(Node::as_str);
                let endpoint = exception
                    .map(str::to_string)
                    .unwrap_or_else(|| url.replace("{region}", &id));
                let mut notes = String::new();
                if id == default {
                    notes.push_str(" <span class=\"badge\">default</span>");
                }
                if exception.is_some() {
                    notes.push_str(" <span class=\"badge warn\">exception</span>");
                }
                let _ = writeln!(
                    self.out,
                    "<tr><td><code>{}</code>{notes}</td><td><code>{}</code></td></tr>",
                    esc(&id),
                    // Long host names break after a dot, not inside a label.
                    esc(&endpoint).replace('.', ".<wbr>")
                );
            }
            self.push("</tbody>\n</table>\n");
        }
        self.push("</section>\n");
    }

    fn authentication(&mut self) {
        let doc = self.doc;
        self.push("<section id=\"authentication\">\n<h2>Authentication</h2>\n");
        let requirements: Vec<String> = doc
            .get("security")
            .and_then(Node::as_array)
            .unwrap_or(&[])
            .iter()
            .map(|r| {
                let names: Vec<String> = r
                    .entries()
                    .iter()
                    .map(|(k, _)| format!("<code>{}</code>", esc(k)))
                    .collect();
                names.join(" and ")
            })
            .collect();
        if !requirements.is_empty() {
            let _ = writeln!(
                self.out,
                "<p>Every operation accepts any one of these schemes: {}.</p>",
                requirements.join(" or ")
            );
        }
        self.push("<dl>\n");
        for (name, scheme) in doc
            .pointer("/components/securitySchemes")
            .map(Node::entries)
            .unwrap_or_default()
        {
            let kind = str_at(scheme, "/type");
            let place = match (scheme.get("in"), scheme.get("name")) {
                (Some(i), Some(n)) => format!(
                    " in {} <code>{}</code>",
                    esc(&i.to_text()),
                    esc(&n.to_text())
                ),
                _ => String::new(),
            };
            let _ = writeln!(
                self.out,
                "<dt><code>{}</code> <span class=\"dim\">({}{place})</span></dt>\n<dd>{}</dd>",
                esc(name),
                esc(kind),
                text(str_at(scheme, "/description"))
            );
        }
        self.push("</dl>\n</section>\n");
    }

    fn operation(&mut self, op: &Operation<'_>) {
        let doc = self.doc;
        let _ = writeln!(
            self.out,
            "<article class=\"operation\" id=\"{}\">\n<h3><span class=\"m {}\">{}</span> \
             <code class=\"path\">{}</code></h3>",
            op.anchor(),
            esc(op.method),
            esc(&op.method.to_ascii_uppercase()),
            esc(op.path)
        );
        let tags: Vec<String> = op
            .op
            .get("tags")
            .and_then(Node::as_array)
            .unwrap_or(&[])
            .iter()
            .map(|t| esc(&t.to_text()))
            .collect();
        let _ = writeln!(
            self.out,
            "<p class=\"meta\">operationId <code>{}</code>{}</p>",
            esc(op.id()),
            if tags.is_empty() {
                String::new()
            } else {
                format!(" &middot; tags: {}", tags.join(", "))
            }
        );
        if let Some(s) = op.op.get("summary").and_then(Node::as_str) {
            let _ = writeln!(self.out, "<p class=\"summary\">{}</p>", text(s));
        }
        if let Some(d) = op.op.get("description").and_then(Node::as_str) {
            let _ = writeln!(self.out, "<p>{}</p>", text(d));
        }
        if op.op.get("deprecated").and_then(Node::as_bool) == Some(true) {
            self.push("<p class=\"warn\">Deprecated.</p>\n");
        }
        if let Some(paging) = op.op.get("x-hwc-paging") {
            let field = |k: &str| esc(&paging.get(k).map(Node::to_text).unwrap_or_default());
            let first = paging
                .get("first-offset")
                .map(Node::to_text)
                .unwrap_or_else(|| "0".into());
            let _ = writeln!(
                self.out,
                "<p class=\"note\"><strong>Paging</strong> (<code>x-hwc-paging</code>): query \
                 parameter <code>{}</code> is the position of the first item (the very first \
                 item is at {}), <code>{}</code> the page size (at most {}); the items are in \
                 <code>{}</code> and the total in <code>{}</code>.</p>",
                field("offset"),
                esc(&first),
                field("limit"),
                field("max-page-size"),
                field("items"),
                field("total")
            );
        }

        // Parameters: the path item's, overridden by the operation's.
        let mut params: Vec<&Node> = Vec::new();
        for list in [op.item.get("parameters"), op.op.get("parameters")] {
            for p in list.and_then(Node::as_array).unwrap_or(&[]) {
                let p = p.deref(doc);
                let key = |p: &Node| (str_at(p, "/name").to_string(), str_at(p, "/in").to_string());
                params.retain(|q| key(q) != key(p));
                params.push(p);
            }
        }
        self.push("<h4>Parameters</h4>\n");
        if params.is_empty() {
            self.push("<p class=\"dim\">None.</p>\n");
        } else {
            self.push(
                "<table class=\"fields\">\n<thead><tr><th>Name</th><th>In</th><th>Type</th>\
                 <th>Constraints</th><th>Description</th></tr></thead>\n<tbody>\n",
            );
            for p in params {
                let schema = p.get("schema").unwrap_or(&Node::Null);
                let required = if p.get("required").and_then(Node::as_bool) == Some(true) {
                    " <span class=\"badge req\">required</span>"
                } else {
                    ""
                };
                let mut constraints = self.constraints(schema);
                if let Some(example) = p.get("example").or_else(|| schema.get("example")) {
                    constraints.push(format!("example <code>{}</code>", esc(&example.to_text())));
                }
                let _ = writeln!(
                    self.out,
                    "<tr><td><code>{}</code>{required}</td><td>{}</td><td>{}</td><td>{}</td>\
                     <td>{}</td></tr>",
                    esc(str_at(p, "/name")),
                    esc(str_at(p, "/in")),
                    self.type_of(schema),
                    list(&constraints),
                    text(str_at(p, "/description"))
                );
            }
            self.push("</tbody>\n</table>\n");
        }

        if let Some(body) = op.op.get("requestBody") {
            let body = body.deref(doc);
            self.push("<h4>Request body</h4>\n");
            if let Some(d) = body.get("description").and_then(Node::as_str) {
                let _ = writeln!(self.out, "<p>{}</p>", text(d));
            }
            self.media(body.get("content"));
        }

        self.push("<h4>Responses</h4>\n");
        for (code, response) in op
            .op
            .get("responses")
            .map(Node::entries)
            .unwrap_or_default()
        {
            let response = response.deref(doc);
            let class = match code.chars().next() {
                Some('2') => "ok",
                Some('4') | Some('5') => "error",
                _ => "other",
            };
            let _ = writeln!(
                self.out,
                "<div class=\"response\">\n<h5><span class=\"status {class}\">{}</span> {}</h5>",
                esc(code),
                text(str_at(response, "/description"))
            );
            let headers = response
                .get("headers")
                .map(Node::entries)
                .unwrap_or_default();
            if !headers.is_empty() {
                self.push("<p>Headers:</p>\n<ul>\n");
                for (name, header) in headers {
                    let header = header.deref(doc);
                    let schema = header.get("schema").unwrap_or(&Node::Null);
                    let _ = writeln!(
                        self.out,
                        "<li><code>{}</code> ({}): {}</li>",
                        esc(name),
                        self.type_of(schema),
                        text(str_at(header, "/description"))
                    );
                }
                self.push("</ul>\n");
            }
            self.media(response.get("content"));
            self.push("</div>\n");
        }
        self.push("</article>\n");
    }

    /// The media types of a body: schema and examples.
    fn media(&mut self, content: Option<&Node>) {
        for (media_type, media) in content.map(Node::entries).unwrap_or_default() {
            let schema = media.get("schema").unwrap_or(&Node::Null);
            let _ = writeln!(
                self.out,
                "<p>Body (<code>{}</code>): {}</p>",
                esc(media_type),
                self.type_of(schema)
            );
            if let Some(example) = media.get("example") {
                self.example("Example", example);
            }
            for (name, example) in media.get("examples").map(Node::entries).unwrap_or_default() {
                let example = example.deref(self.doc);
                let label = match example.get("summary").and_then(Node::as_str) {
                    Some(s) => format!("Example {name}: {s}"),
                    None => format!("Example {name}"),
                };
                if let Some(value) = example.get("value") {
                    self.example(&label, value);
                }
            }
        }
    }

    fn example(&mut self, label: &str, value: &Node) {
        let _ = writeln!(
            self.out,
            "<details class=\"example\" open>\n<summary>{}</summary>\n<pre><code>{}</code></pre>\n\
             </details>",
            esc(label),
            esc(&value.to_json_pretty())
        );
    }

    fn schema(&mut self, name: &str, schema: &Node) {
        let doc = self.doc;
        let _ = writeln!(
            self.out,
            "<article class=\"schema\" id=\"{}\">\n<h3>{}</h3>",
            anchor("schema", name),
            esc(name)
        );
        if let Some(d) = schema.get("description").and_then(Node::as_str) {
            let _ = writeln!(self.out, "<p>{}</p>", text(d));
        }
        let constraints = self.constraints_with(schema, false);
        let _ = writeln!(
            self.out,
            "<p>Type: {}{}</p>",
            self.type_of_shallow(schema),
            if constraints.is_empty() {
                String::new()
            } else {
                format!("; {}", constraints.join("; "))
            }
        );
        if let Some(values) = schema.get("x-hwc-open-enum").and_then(Node::as_array) {
            self.push(
                "<p>Open list (<code>x-hwc-open-enum</code>): the known values are below; \
                 the service may send others, so a client must accept any string.</p>\n\
                 <ul class=\"values\">\n",
            );
            for v in values {
                let _ = writeln!(self.out, "<li><code>{}</code></li>", esc(&v.to_text()));
            }
            self.push("</ul>\n");
        }
        let properties = schema
            .get("properties")
            .map(Node::entries)
            .unwrap_or_default();
        if !properties.is_empty() {
            let required: Vec<String> = schema
                .get("required")
                .and_then(Node::as_array)
                .unwrap_or(&[])
                .iter()
                .map(Node::to_text)
                .collect();
            self.push(
                "<table class=\"fields\">\n<thead><tr><th>Field</th><th>Type</th>\
                 <th>Constraints</th><th>Description</th></tr></thead>\n<tbody>\n",
            );
            for (field, prop) in properties {
                let description = prop
                    .get("description")
                    .or_else(|| prop.deref(doc).get("description"))
                    .and_then(Node::as_str)
                    .unwrap_or_default();
                let badge = if required.contains(field) {
                    " <span class=\"badge req\">required</span>"
                } else {
                    ""
                };
                let mut constraints = self.constraints(prop);
                if let Some(example) = prop.get("example") {
                    constraints.push(format!("example <code>{}</code>", esc(&example.to_text())));
                }
                let _ = writeln!(
                    self.out,
                    "<tr><td><code>{}</code>{badge}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(field),
                    self.type_of(prop),
                    list(&constraints),
                    text(description)
                );
            }
            self.push("</tbody>\n</table>\n");
        }
        if let Some(example) = schema.get("example") {
            self.example("Example", example);
        }
        self.push("</article>\n");
    }

    fn extensions(&mut self) {
        self.push(
            "<section id=\"extensions\">\n<h2>Extensions</h2>\n<p>The documents carry these \
             vendor extensions; a client generator that ignores them still gets a working \
             client, but should honour them to decode what the services really send.</p>\n<dl>\n\
             <dt><code>x-hwc-open-enum</code> (on a string schema)</dt><dd>The known values of \
             an open list. The service may send other values: decode unknown ones instead of \
             failing (keep the string).</dd>\n\
             <dt><code>x-hwc-scalar</code> (on a schema)</dt><dd>A tolerant scalar: \
             <code>count</code> (a non-negative integer sent as a JSON number or as a string of \
             digits), <code>decimal</code> (a decimal sent as a string or a number; keep the \
             exact text), <code>timestamp</code> (a response time: RFC 3339 such as \
             <code>2020-06-17T07:38:42.503Z</code>, or <code>2022-08-05T08:15:07+0800</code> \
             with the offset written without a colon), <code>compact-time</code> (a query time \
             formatted <code>yyyyMMddHHmmss</code>, UTC) and <code>epoch-millis</code> (a query \
             time as UNIX milliseconds in a string).</dd>\n\
             <dt><code>x-hwc-paging</code> (on an operation)</dt><dd>Which parameters page the \
             list, where the items and the total are, the largest page size and the position of \
             the first item.</dd>\n\
             <dt><code>x-hwc-endpoint-exceptions</code> (on the server)</dt><dd>Regions whose \
             endpoint does not follow the server URL pattern.</dd>\n\
             <dt><code>x-hwc-sdk-service</code> (on the document)</dt><dd>The SERVICE part of the \
             official SDKs' <code>HUAWEICLOUD_SDK_REGION_{SERVICE}_{REGION}</code> endpoint \
             override.</dd>\n</dl>\n</section>\n",
        );
    }

    /// The type of a schema, linking a reference to its schema.
    fn type_of(&self, schema: &Node) -> String {
        match schema.get("$ref").and_then(Node::as_str) {
            Some(r) => match r.strip_prefix("#/components/schemas/") {
                Some(name) => format!(
                    "<a href=\"#{}\">{}</a>",
                    anchor("schema", &crate::error::pointer_unescape(name)),
                    esc(&crate::error::pointer_unescape(name))
                ),
                None => format!("<code>{}</code>", esc(r)),
            },
            None => self.type_of_shallow(schema),
        }
    }

    fn type_of_shallow(&self, schema: &Node) -> String {
        let mut out = String::new();
        let combined: Vec<(&str, &[Node])> = ["oneOf", "anyOf", "allOf"]
            .into_iter()
            .filter_map(|k| schema.get(k).and_then(Node::as_array).map(|m| (k, m)))
            .collect();
        for (keyword, members) in combined {
            let joiner = if keyword == "allOf" { " and " } else { " or " };
            let parts: Vec<String> = members.iter().map(|m| self.type_of(m)).collect();
            if !out.is_empty() {
                out.push_str("; ");
            }
            out.push_str(&parts.join(joiner));
        }
        if let Some(t) = schema.get("type").and_then(Node::as_str) {
            if !out.is_empty() {
                out.push_str("; ");
            }
            match (t, schema.get("items")) {
                ("array", Some(items)) => {
                    let _ = write!(out, "array of {}", self.type_of(items));
                }
                _ => out.push_str(&esc(t)),
            }
            if let Some(f) = schema.get("format").and_then(Node::as_str) {
                let _ = write!(out, " ({})", esc(f));
            }
        }
        if out.is_empty() {
            out.push_str("any");
        }
        if schema.get("nullable").and_then(Node::as_bool) == Some(true) {
            out.push_str(", nullable");
        }
        out
    }

    /// The constraints of a schema, as short HTML phrases. A reference shows
    /// the scalar kind and open list of its target.
    fn constraints(&self, schema: &Node) -> Vec<String> {
        self.constraints_with(schema, true)
    }

    /// [`Self::constraints`], leaving out an open list's values when the
    /// caller shows them itself.
    fn constraints_with(&self, schema: &Node, open_list: bool) -> Vec<String> {
        let mut out = Vec::new();
        if schema.get("$ref").is_some() {
            let target = schema.deref(self.doc);
            if let Some(s) = target.get("x-hwc-scalar").and_then(Node::as_str) {
                out.push(scalar_phrase(s));
            }
            if let Some(values) = target.get("x-hwc-open-enum").and_then(Node::as_array) {
                if values.len() <= 6 {
                    let v: Vec<String> = values
                        .iter()
                        .map(|v| format!("<code>{}</code>", esc(&v.to_text())))
                        .collect();
                    out.push(format!("open list, known values {}", v.join(", ")));
                } else {
                    out.push(format!(
                        "open list, {} known values (see the schema)",
                        values.len()
                    ));
                }
            }
            return out;
        }
        let code = |v: &Node| format!("<code>{}</code>", esc(&v.to_text()));
        let exclusive = |k: &str| schema.get(k).and_then(Node::as_bool) == Some(true);
        if let Some(v) = schema.get("minimum") {
            let op = if exclusive("exclusiveMinimum") {
                "&gt;"
            } else {
                "&ge;"
            };
            out.push(format!("{op} {}", code(v)));
        }
        if let Some(v) = schema.get("maximum") {
            let op = if exclusive("exclusiveMaximum") {
                "&lt;"
            } else {
                "&le;"
            };
            out.push(format!("{op} {}", code(v)));
        }
        for (key, phrase) in [
            ("multipleOf", "multiple of"),
            ("minLength", "length &ge;"),
            ("maxLength", "length &le;"),
            ("minItems", "items &ge;"),
            ("maxItems", "items &le;"),
        ] {
            if let Some(v) = schema.get(key) {
                out.push(format!("{phrase} {}", code(v)));
            }
        }
        if schema.get("uniqueItems").and_then(Node::as_bool) == Some(true) {
            out.push("unique items".into());
        }
        if let Some(p) = schema.get("pattern") {
            out.push(format!("pattern {}", code(p)));
        }
        if let Some(values) = schema.get("enum").and_then(Node::as_array) {
            let v: Vec<String> = values.iter().map(code).collect();
            out.push(format!("one of {}", v.join(", ")));
        }
        if let Some(values) = schema.get("x-hwc-open-enum").and_then(Node::as_array)
            && open_list
        {
            let v: Vec<String> = values.iter().map(code).collect();
            out.push(format!("open list, known values {}", v.join(", ")));
        }
        if let Some(s) = schema.get("x-hwc-scalar").and_then(Node::as_str) {
            out.push(scalar_phrase(s));
        }
        if let Some(v) = schema.get("default") {
            out.push(format!("default {}", code(v)));
        }
        if schema.get("readOnly").and_then(Node::as_bool) == Some(true) {
            out.push("read-only".into());
        }
        if schema.get("deprecated").and_then(Node::as_bool) == Some(true) {
            out.push("deprecated".into());
        }
        out
    }
}

fn scalar_phrase(kind: &str) -> String {
    let meaning = match kind {
        "count" => "count: a number or a string of digits",
        "decimal" => "decimal: a string or a number; keep the exact text",
        "timestamp" => "time stamp: RFC 3339 or <code>yyyy-MM-ddTHH:mm:ss+hhmm</code>",
        "compact-time" => "time: <code>yyyyMMddHHmmss</code>, UTC",
        "epoch-millis" => "time: UNIX milliseconds in a string",
        _ => "tolerant scalar",
    };
    format!("{meaning} (<code>x-hwc-scalar: {}</code>)", esc(kind))
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        String::new()
    } else {
        items.join("<br>")
    }
}

fn str_at<'n>(node: &'n Node, pointer: &str) -> &'n str {
    node.pointer(pointer)
        .and_then(Node::as_str)
        .unwrap_or_default()
}

/// An element id: `prefix-` and the name with anything but letters, digits,
/// `-` and `_` replaced (names are unique per kind, so ids are too).
pub fn anchor(prefix: &str, name: &str) -> String {
    let mut out = format!("{prefix}-");
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            out.push(c);
        } else {
            let _ = write!(out, "_{:x}_", c as u32);
        }
    }
    out
}

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes prose, turning each backquoted span into `code`.
pub fn text(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    if parts.len().is_multiple_of(2) {
        // An unpaired backquote: no code spans.
        return esc(s);
    }
    let mut out = String::with_capacity(s.len());
    for (i, part) in parts.iter().enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{}</code>", esc(part));
        } else {
            out.push_str(&esc(part));
        }
    }
    out
}

const CSS: &str = r#"
:root { color-scheme: light; --fg: #1f2328; --dim: #59636e; --line: #d1d9e0; --bg2: #f6f8fa; --accent: #0b5cad; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: #fff; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.9em; }
code { background: var(--bg2); padding: 0.05em 0.3em; border-radius: 4px; overflow-wrap: anywhere; }
pre { background: var(--bg2); border: 1px solid var(--line); border-radius: 6px; padding: 0.8em 1em; overflow: auto; }
pre code { background: none; padding: 0; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
header.top { padding: 1.5em 2em 1em; border-bottom: 1px solid var(--line); background: linear-gradient(#f6f8fa, #fff); }
header.top h1 { margin: 0 0 0.3em; font-size: 1.8em; }
header.top p { max-width: 60em; }
.layout { display: flex; align-items: flex-start; }
nav.toc { position: sticky; top: 0; flex: 0 0 17em; max-height: 100vh; overflow-y: auto; overflow-x: hidden; padding: 1em 1.2em; border-right: 1px solid var(--line); font-size: 0.92em; }
nav.toc h2 { font-size: 1em; margin: 0 0 0.5em; }
nav.toc ul { list-style: none; margin: 0; padding-left: 0.8em; }
nav.toc > ul { padding-left: 0; }
nav.toc li { margin: 0.15em 0; overflow-wrap: anywhere; }
main { flex: 1; min-width: 0; padding: 0 2em 2em; max-width: 72em; }
section { margin-top: 1.5em; }
h2 { border-bottom: 2px solid var(--line); padding-bottom: 0.2em; margin-top: 1.2em; }
h3 { margin: 0 0 0.4em; font-size: 1.25em; }
h4 { margin: 1.2em 0 0.4em; font-size: 1em; text-transform: uppercase; letter-spacing: 0.04em; color: var(--dim); }
h5 { margin: 0.2em 0 0.4em; font-size: 1em; }
article { border: 1px solid var(--line); border-radius: 8px; padding: 1em 1.3em; margin: 1.2em 0; }
.meta, .dim { color: var(--dim); }
.summary { font-weight: 600; }
.badge { display: inline-block; font-size: 0.78em; padding: 0.05em 0.5em; border-radius: 1em; background: #e7ecf2; color: var(--fg); vertical-align: middle; }
.badge.version { background: #dbeafe; }
.badge.req { background: #fde2e1; color: #8a1c14; }
.badge.warn { background: #fff1c2; color: #6b4e00; }
.m { display: inline-block; min-width: 3.6em; text-align: center; font-weight: 700; font-size: 0.8em; padding: 0.1em 0.4em; border-radius: 4px; color: #fff; background: #57606a; }
.m.get { background: #1a7f37; } .m.post { background: #0b5cad; } .m.put, .m.patch { background: #9a6700; } .m.delete { background: #cf222e; }
code.path { font-size: 1em; background: none; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1em; font-size: 0.93em; }
th, td { border: 1px solid var(--line); padding: 0.35em 0.6em; text-align: left; vertical-align: top; }
th { background: var(--bg2); }
table.fields td:first-child { white-space: nowrap; }
table.regions { width: 100%; }
table.regions tbody { display: grid; grid-template-columns: repeat(auto-fill, minmax(26em, 1fr)); column-gap: 1.5em; }
table.regions thead { display: none; }
table.regions tr { display: grid; grid-template-columns: 12em 1fr; border-bottom: 1px solid var(--line); }
table.regions td { border: 0; padding: 0.2em 0.3em; }
table.regions code { overflow-wrap: normal; }
.response { border-left: 3px solid var(--line); padding-left: 0.9em; margin: 0.8em 0; }
.status { display: inline-block; font-weight: 700; padding: 0 0.45em; border-radius: 4px; background: #e7ecf2; }
.status.ok { background: #dafbe1; color: #116329; } .status.error { background: #ffebe9; color: #a40e26; }
.note { background: #f0f6ff; border: 1px solid #c8dcf5; border-radius: 6px; padding: 0.5em 0.8em; }
.warn { color: #8a1c14; }
ul.values { columns: 3 12em; }
details.example summary { cursor: pointer; color: var(--dim); }
dt { font-weight: 600; margin-top: 0.6em; }
dd { margin-left: 1.2em; }
footer { border-top: 1px solid var(--line); color: var(--dim); padding: 1em 2em; font-size: 0.9em; }
@media (max-width: 900px) { .layout { display: block; } nav.toc { position: static; max-height: none; border-right: 0; border-bottom: 1px solid var(--line); } main { padding: 0 1em 1em; } }
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_code_spans_marked() {
        assert_eq!(
            text("a <b> & `c<d>` 'e'"),
            "a &lt;b&gt; &amp; <code>c&lt;d&gt;</code> &#39;e&#39;"
        );
        assert_eq!(text("one ` only"), "one ` only");
        assert_eq!(anchor("schema", "A b/c"), "schema-A_20_b_2f_c");
    }
}
