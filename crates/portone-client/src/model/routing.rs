//! Failover routes configured in the PortOne portal (`GET /api/txn-router/{key}/routes`).

use serde::Deserialize;

use crate::lenient;

/// A route. PortOne does not publish this answer's shape; the reference is read from
/// `routing_ref`, `route_ref`, `ref` or `id`, and everything else is kept in `extra`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Route {
    /// The reference to pass to [`RoutingParams::failover`](crate::model::checkout::RoutingParams::failover).
    #[serde(
        default,
        alias = "route_ref",
        alias = "routeRef",
        alias = "ref",
        alias = "id",
        deserialize_with = "lenient::opt_nonempty"
    )]
    pub routing_ref: Option<String>,
    /// The route's name.
    #[serde(
        default,
        alias = "route_name",
        deserialize_with = "lenient::opt_nonempty"
    )]
    pub name: Option<String>,
    /// The routing type, e.g. `failover`.
    #[serde(default, rename = "type", deserialize_with = "lenient::opt_nonempty")]
    pub kind: Option<String>,
    /// Fields this version does not model.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// `content` as a list, or an object holding the list.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum RoutesContent {
    List(Vec<Route>),
    Object {
        #[serde(alias = "routes", alias = "data")]
        data: Vec<Route>,
    },
}

impl RoutesContent {
    pub(crate) fn into_routes(self) -> Vec<Route> {
        match self {
            Self::List(routes) | Self::Object { data: routes } => routes,
        }
    }
}
