//! insta snapshots of the generated API surface: every public type with its fields or
//! variants, every `Client` method and every builder setter. A spec change that alters what
//! users compile against shows up here as a reviewable diff.
use quote::ToTokens;
use syn::{Fields, ImplItem, Item, Visibility};

use crate::fixture_spec;

/// One line per public item of `items`, recursing into public modules.
fn describe(items: &[Item], module: &str, out: &mut Vec<String>) {
    for item in items {
        match item {
            Item::Struct(s) if is_pub(&s.vis) => {
                let fields = match &s.fields {
                    Fields::Named(named) => named
                        .named
                        .iter()
                        .filter(|f| is_pub(&f.vis))
                        .map(|f| {
                            format!(
                                "{}: {}",
                                f.ident
                                    .as_ref()
                                    .map(ToString::to_string)
                                    .unwrap_or_default(),
                                tokens(&f.ty)
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(", "),
                    Fields::Unnamed(unnamed) => unnamed
                        .unnamed
                        .iter()
                        .map(|f| {
                            format!(
                                "{}{}",
                                if is_pub(&f.vis) { "pub " } else { "" },
                                tokens(&f.ty)
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(", "),
                    Fields::Unit => String::new(),
                };
                out.push(format!("{module}struct {} {{ {fields} }}", s.ident));
            }
            Item::Enum(e) if is_pub(&e.vis) => {
                let variants: Vec<_> = e.variants.iter().map(|v| v.ident.to_string()).collect();
                out.push(format!(
                    "{module}enum {} {{ {} }}",
                    e.ident,
                    variants.join(", ")
                ));
            }
            Item::Impl(i) if i.trait_.is_none() => {
                for member in &i.items {
                    if let ImplItem::Fn(f) = member
                        && is_pub(&f.vis)
                    {
                        let inputs: Vec<_> = f.sig.inputs.iter().map(tokens).collect();
                        out.push(format!(
                            "{module}{}::{}({}){}",
                            tokens(&i.self_ty),
                            f.sig.ident,
                            inputs.join(", "),
                            match &f.sig.output {
                                syn::ReturnType::Default => String::new(),
                                syn::ReturnType::Type(_, ty) => format!(" -> {}", tokens(ty)),
                            }
                        ));
                    }
                }
            }
            Item::Mod(m) if is_pub(&m.vis) && m.ident != "defaults" => {
                if let Some((_, inner)) = &m.content {
                    describe(inner, &format!("{module}{}::", m.ident), out);
                }
            }
            _ => {}
        }
    }
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

/// Tokens as compact text: `:: std :: string :: String` becomes `::std::string::String`.
fn tokens(node: &impl ToTokens) -> String {
    node.to_token_stream()
        .to_string()
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" < ", "<")
        .replace(" <", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
        .replace("& ", "&")
        .replace("' ", "'")
}

fn surface(api: &yandex_promo_codegen::Api) -> String {
    let code =
        yandex_promo_codegen::generate(api, &fixture_spec(api.spec_stem)).expect("generates");
    let file = syn::parse_file(&code).expect("parses");
    let mut lines = Vec::new();
    describe(&file.items, "", &mut lines);
    lines.join("\n")
}

#[test]
fn go_business_api_surface() {
    insta::assert_snapshot!(surface(&yandex_promo_codegen::GO));
}

#[test]
fn market_partner_api_surface() {
    insta::assert_snapshot!(surface(&yandex_promo_codegen::MARKET));
}

/// The reviewed copy in `openapi/generated/rust/` is the very code this crate compiled.
#[test]
fn the_reviewed_generated_code_is_the_compiled_code() {
    let compiled = [
        ("go", include_str!(concat!(env!("OUT_DIR"), "/go.rs"))),
        (
            "market",
            include_str!(concat!(env!("OUT_DIR"), "/market.rs")),
        ),
    ];
    for (module, code) in compiled {
        let reviewed = format!(
            "{}/../../openapi/generated/rust/{module}.rs",
            env!("CARGO_MANIFEST_DIR")
        );
        let reviewed = std::fs::read_to_string(&reviewed).expect("the reviewed copy exists");
        assert!(
            reviewed == code,
            "openapi/generated/rust/{module}.rs is stale: run `cargo xtask codegen`"
        );
    }
}
