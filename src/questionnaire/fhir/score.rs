//! A `calculatedExpression` that is a plain sum of the answers' ordinal
//! values or weights, as a score on the item that carries it.

use super::items::ItemAt;
use super::*;

impl Reader<'_> {
    /// A calculated item as a score; `ext` is its calculatedExpression's
    /// place among its extensions, `conditional` whether it has enableWhen.
    pub(super) fn score(
        &mut self,
        at: ItemAt<'_>,
        expr: &str,
        ext: usize,
        conditional: bool,
    ) -> Option<FhirItem> {
        let ItemAt {
            item,
            p,
            link,
            ty,
            text,
        } = at;
        let answer = match ty {
            "quantity" => FhirAnswer::Quantity,
            "decimal" => FhirAnswer::Decimal,
            "integer" => FhirAnswer::Integer,
            other => {
                self.refuse(
                    &format!("{p}/type"),
                    format!("a calculated score must be a quantity, decimal or integer item, not \"{other}\""),
                );
                return None;
            }
        };
        let expression_at = format!("{p}/extension/{ext}/valueExpression/expression");
        if self
            .root
            .pointer(&expression_at)
            .and_then(Value::as_str)
            .is_none()
        {
            self.refuse(
                &format!("{p}/extension/{ext}"),
                "this calculatedExpression has no valueExpression.expression to read",
            );
            return None;
        }
        if !plain_sum(expr, link) {
            self.refuse(
                &expression_at,
                format!(
                    "only a plain sum of the answers' ordinal values or weights can be scored \
                     (such as %resource.item.answer.value.ordinal().sum()); \"{expr}\" is not one"
                ),
            );
            return None;
        }
        if conditional {
            self.refuse(
                &format!("{p}/enableWhen"),
                "a calculated score cannot be shown only sometimes: remove its enableWhen",
            );
            return None;
        }
        let id = self.make_id(link);
        let loinc = item
            .get("code")
            .and_then(Value::as_array)
            .and_then(|cs| cs.iter().find(|c| str_at(c, "system") == Some(LOINC)))
            .and_then(|c| {
                Some((
                    str_at(c, "code")?.to_string(),
                    str_at(c, "display").unwrap_or("").to_string(),
                ))
            });
        let item_text = text.clone();
        let label = text.unwrap_or_else(|| link.to_string());
        let raw = RawScore {
            id: self.spanned(&format!("{p}/linkId"), id.clone()),
            label,
            description: None,
            questions: Spanned::new(0..0, Vec::new()),
            method: Method::Sum,
            reverse: Vec::new(),
            remap: None,
            lookup: None,
            transform: None,
            max_missing: 0,
            prorate: false,
            meaningful_change: None,
            bands: Vec::new(),
        };
        let span = self.at(p);
        self.scores.push((
            Spanned::new(span, raw),
            format!("{p}/extension/{ext}/valueExpression/expression"),
        ));
        Some(FhirItem::Score {
            link_id: link.to_string(),
            id,
            text: item_text,
            answer,
            loinc,
        })
    }
}

/// A plain sum of every answer's ordinal value or weight, as real files
/// write it; `own` is the item's own `linkId` (which a `where` may leave
/// out). Anything else is not a plain sum.
pub(super) fn plain_sum(expression: &str, own: &str) -> bool {
    let e: String = expression.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(mut rest) = e.strip_prefix("%resource.") else {
        return false;
    };
    let mut answers = false;
    for start in ["answers().", "repeat(item).", "item.", "descendants()."] {
        if let Some(r) = rest.strip_prefix(start) {
            answers = start == "answers().";
            rest = r;
            break;
        }
    }
    if rest.len() == e.len() - "%resource.".len() {
        return false;
    }
    for quote in ['\'', '"'] {
        let skip = format!("where(linkId!={quote}{own}{quote}).");
        if let Some(r) = rest.strip_prefix(skip.as_str()) {
            rest = r;
        }
    }
    if !answers {
        match rest.strip_prefix("answer.") {
            Some(r) => rest = r,
            None => return false,
        }
    }
    matches!(
        rest,
        "value.ordinal().sum()" | "value.weight().sum()" | "ordinal().sum()" | "weight().sum()"
    )
}
