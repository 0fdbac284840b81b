//! `clientele rules [NAME]`: the effective rule files — a list of them, or one file's text
//! exactly as it applies (the workspace's copy, or the built-in default).

use super::context::{Context, with_stdout};
use crate::error::{Error, Result, display_path};
use crate::model::messages::commands::{CmdMsg, What};
use crate::render::{Cell, Column, Table};

/// `rules`' own options.
#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// traits, types, types-personality, types-buying, stages, cadence, tiers, holidays or handling
    pub name: Option<String>,
}

pub fn run(args: &RulesArgs, ctx: &Context) -> Result<u8> {
    let rules = ctx.rules()?;
    match &args.name {
        Some(name) => {
            let name = name.trim_end_matches(".toml");
            let file = rules.files.iter().find(|f| f.name == name).ok_or_else(|| {
                let known: Vec<&str> = rules.files.iter().map(|f| f.name.as_str()).collect();
                Error::Usage(
                    CmdMsg::UnknownName {
                        what: What::RuleFile,
                        text: name,
                        known: &known.join(", "),
                    }
                    .to_string(),
                )
            })?;
            with_stdout(|out| out.write_all(file.text.as_bytes()))?;
        }
        None => {
            let mut t = Table::new(vec![
                Column::new("name", "Rules", "规则"),
                Column::new("source", "Source", "来源"),
                Column::new("path", "Path", "路径"),
                Column::new("content", "Content", "内容"),
            ]);
            // In Chinese for people; machines keep the ids.
            let zh = ctx.lang == crate::model::Lang::Zh && !ctx.format.is_machine();
            for f in &rules.files {
                let content = describe(&rules, &f.name, zh);
                t.rows.push(vec![
                    Cell::text(&f.name),
                    Cell::text(match (f.builtin, zh) {
                        (true, false) => "built-in",
                        (false, false) => "workspace",
                        (true, true) => "内置",
                        (false, true) => "工作区",
                    }),
                    Cell::text(if f.builtin {
                        String::new()
                    } else {
                        display_path(&f.path)
                    }),
                    Cell::text(content),
                ]);
            }
            with_stdout(|out| ctx.printer(out).table(&t))?;
        }
    }
    Ok(0)
}

/// A one-line summary of what a rule file holds (`zh`: in Chinese names).
fn describe(rules: &crate::rules::Rules, name: &str, zh: bool) -> String {
    let list = if zh { "、" } else { ", " };
    match name {
        "traits" if zh => format!("{} 个特征", rules.traits.traits.len()),
        "traits" => format!("{} traits", rules.traits.traits.len()),
        "stages" => rules
            .stages
            .iter()
            .map(|s| if zh { s.zh.as_str() } else { s.stage_id() })
            .collect::<Vec<_>>()
            .join(" → "),
        "cadence" if zh => format!("{} 个等级", rules.cadence.grades.len()),
        "cadence" => format!("grades {}", rules.cadence.grades.len()),
        "tiers" => rules
            .tiers
            .iter()
            .map(|s| if zh { s.zh.as_str() } else { s.name.as_str() })
            .collect::<Vec<_>>()
            .join(list),
        "handling" => {
            let seeks: Vec<&str> = rules
                .handling
                .seeks
                .iter()
                .map(|s| if zh { s.zh.as_str() } else { s.id.as_str() })
                .collect();
            if zh {
                format!("4 类购买意向；投诉诉求：{}", seeks.join(list))
            } else {
                format!("4 intents; complaints seek {}", seeks.join(list))
            }
        }
        "holidays" => {
            let years: Vec<String> = rules.holidays.years.keys().map(i32::to_string).collect();
            if zh {
                format!("{} 年", years.join("、"))
            } else {
                years.join(", ")
            }
        }
        n => rules
            .type_sets
            .iter()
            .find(|s| {
                n == "types" && s.name == rules.type_sets[0].name
                    || n.strip_prefix("types-") == Some(s.name.as_str())
            })
            .map(|s| {
                let types: Vec<&str> = s
                    .types
                    .iter()
                    .map(|t| if zh { t.zh.as_str() } else { t.id.as_str() })
                    .collect();
                if zh {
                    format!("{}：{}", s.zh, types.join(list))
                } else {
                    format!("{}: {}", s.name, types.join(list))
                }
            })
            .unwrap_or_default(),
    }
}
