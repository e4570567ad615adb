//! `API.md`: the public surface of the generated crate, short and stably ordered, so that a spec
//! change shows up in a pull request as a small readable diff next to thousands of generated
//! lines.

use std::collections::BTreeMap;
use std::fmt::Write;

use quote::quote;

use crate::spec::Document;

/// Renders the summary from the generated files' syntax trees.
pub(crate) fn api_md(
    document: &Document,
    client: &syn::File,
    multipart: &syn::File,
    header: &str,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "<!-- {} -->", header.trim());
    let _ = writeln!(out, "# API surface of `shareofmodel-client`\n");
    let _ = writeln!(
        out,
        "{} `{}`. Paths and types are shortened (`String` for `::std::string::String`, ...).\n",
        document.api.info.title, document.api.info.version
    );

    let mut methods = BTreeMap::new();
    for file in [client, multipart] {
        for item in &file.items {
            if let syn::Item::Impl(block) = item
                && is_client(&block.self_ty)
            {
                for member in &block.items {
                    if let syn::ImplItem::Fn(f) = member
                        && matches!(f.vis, syn::Visibility::Public(_))
                    {
                        methods.insert(f.sig.ident.to_string(), signature(&f.sig));
                    }
                }
            }
        }
    }

    let _ = writeln!(out, "## Operations\n");
    let mut operations: Vec<_> = document.operations().unwrap_or_default();
    operations.sort_by(|a, b| a.id().cmp(b.id()));
    for op in operations {
        let id = op.id();
        let _ = writeln!(
            out,
            "### `{id}`: `{} {}`\n",
            op.method.to_uppercase(),
            op.path
        );
        if let Some(summary) = &op.operation.summary {
            let _ = writeln!(out, "{}\n", summary.trim());
        }
        match methods.get(id) {
            Some(sig) => {
                let _ = writeln!(out, "```rust\n{sig}\n```\n");
            }
            None => {
                let _ = writeln!(out, "(no generated method)\n");
            }
        }
    }

    let _ = writeln!(out, "## Types\n");
    let mut types = BTreeMap::new();
    for (module, file) in [("types", client), ("multipart", multipart)] {
        let items: &[syn::Item] = if module == "types" {
            file.items
                .iter()
                .find_map(|item| match item {
                    syn::Item::Mod(m) if m.ident == "types" => m.content.as_ref(),
                    _ => None,
                })
                .map(|(_, items)| items.as_slice())
                .unwrap_or_default()
        } else {
            &file.items
        };
        for item in items {
            if let Some((name, text)) = describe_type(module, item) {
                types.insert(name, text);
            }
        }
    }
    for text in types.values() {
        out.push_str(text);
    }

    let _ = writeln!(out, "## Multipart wire constants\n");
    let mut constants = Vec::new();
    for item in &multipart.items {
        collect_constants(item, String::new(), &mut constants);
    }
    for line in constants {
        let _ = writeln!(out, "- {line}");
    }
    out
}

fn is_client(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.is_ident("Client"))
}

/// Formats a Rust fragment through prettyplease by wrapping it in an item.
fn pretty_type(ty: &syn::Type) -> String {
    let file: syn::File = syn::parse_quote!(type X = #ty;);
    let text = prettyplease::unparse(&file);
    shorten(
        text.trim()
            .trim_start_matches("type X = ")
            .trim_end_matches(';'),
    )
}

fn signature(sig: &syn::Signature) -> String {
    let mut sig = sig.clone();
    sig.generics = syn::Generics::default();
    let file: syn::File = syn::parse_quote!(pub #sig {});
    let text = prettyplease::unparse(&file);
    let text = text.trim().trim_end_matches("{}").trim_end();
    shorten(&text.replace("&'a ", "&"))
}

fn shorten(text: &str) -> String {
    let mut text = text.to_owned();
    for (long, short) in [
        ("::chrono::DateTime<::chrono::offset::Utc>", "DateTime<Utc>"),
        ("::std::string::String", "String"),
        ("::std::vec::Vec", "Vec"),
        ("::std::option::Option", "Option"),
        ("::std::collections::BTreeMap", "BTreeMap"),
        ("::serde_json::Map", "Map"),
        ("::serde_json::Value", "Value"),
        ("::uuid::Uuid", "Uuid"),
        ("crate::types::", "types::"),
    ] {
        text = text.replace(long, short);
    }
    // prettyplease breaks long signatures over lines; one line per signature diffs better.
    let joined: Vec<&str> = text.split_whitespace().collect();
    joined.join(" ").replace("( ", "(").replace(", )", ")")
}

fn describe_type(module: &str, item: &syn::Item) -> Option<(String, String)> {
    let mut out = String::new();
    let name = match item {
        syn::Item::Struct(s) if matches!(s.vis, syn::Visibility::Public(_)) => {
            let name = format!("{module}::{}", s.ident);
            let _ = writeln!(out, "### `{name}` (struct)\n");
            match &s.fields {
                syn::Fields::Named(fields) => {
                    for field in &fields.named {
                        if !matches!(field.vis, syn::Visibility::Public(_)) {
                            continue;
                        }
                        let ident = field.ident.as_ref().map(ToString::to_string);
                        let _ = writeln!(
                            out,
                            "- `{}: {}`",
                            ident.unwrap_or_default(),
                            pretty_type(&field.ty)
                        );
                    }
                    if fields
                        .named
                        .iter()
                        .any(|f| !matches!(f.vis, syn::Visibility::Public(_)))
                    {
                        let _ = writeln!(out, "- (private fields)");
                    }
                }
                syn::Fields::Unnamed(fields) => {
                    let inner: Vec<String> =
                        fields.unnamed.iter().map(|f| pretty_type(&f.ty)).collect();
                    let _ = writeln!(out, "- newtype of `{}`", inner.join(", "));
                }
                syn::Fields::Unit => {}
            }
            name
        }
        syn::Item::Enum(e) if matches!(e.vis, syn::Visibility::Public(_)) => {
            let name = format!("{module}::{}", e.ident);
            let _ = writeln!(out, "### `{name}` (enum)\n");
            for variant in &e.variants {
                let fields = match &variant.fields {
                    syn::Fields::Unnamed(f) => {
                        let inner: Vec<String> =
                            f.unnamed.iter().map(|f| pretty_type(&f.ty)).collect();
                        format!("({})", inner.join(", "))
                    }
                    syn::Fields::Named(f) => {
                        let inner: Vec<String> = f
                            .named
                            .iter()
                            .map(|f| {
                                let ident = f
                                    .ident
                                    .as_ref()
                                    .map(ToString::to_string)
                                    .unwrap_or_default();
                                format!("{ident}: {}", pretty_type(&f.ty))
                            })
                            .collect();
                        format!(" {{ {} }}", inner.join(", "))
                    }
                    syn::Fields::Unit => String::new(),
                };
                let _ = writeln!(out, "- `{}{fields}`", variant.ident);
            }
            name
        }
        _ => return None,
    };
    out.push('\n');
    Some((name, out))
}

fn collect_constants(item: &syn::Item, prefix: String, out: &mut Vec<String>) {
    match item {
        syn::Item::Mod(m) => {
            if let Some((_, items)) = &m.content {
                let prefix = if prefix.is_empty() {
                    m.ident.to_string()
                } else {
                    format!("{prefix}::{}", m.ident)
                };
                for item in items {
                    collect_constants(item, prefix.clone(), out);
                }
            }
        }
        syn::Item::Const(c) if !prefix.is_empty() => {
            let expr = &c.expr;
            let value = quote!(#expr).to_string();
            let value = value
                .replace("usize", "")
                .replace("& [", "[")
                .replace(" ,", ",")
                .replace(" :: ", "::");
            out.push(format!("`{prefix}::{} = {}`", c.ident, shorten(&value)));
        }
        _ => {}
    }
}
