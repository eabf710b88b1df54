"""What a managed data store listens on: a connection to any other port finds nothing there.

An RDS instance, an Aurora cluster, an ElastiCache cluster and an EFS mount target each accept
connections on one port: the port the spec states, else the engine's default (RDS PostgreSQL
5432, MySQL/MariaDB 3306, Oracle 1521, SQL Server 1433; Aurora and ElastiCache as their
engines; EFS NFS 2049). A security group may admit more ports than that, but a packet to one
of them is refused by the host (``PORT_NOT_LISTENING``): a flow or intent written with
another port than the database's is a design error, not a reachable path.

>>> from model.loader import load_model
>>> from model.index import ModelIndex
>>> listen_port(ModelIndex(load_model().model), "rds", "poc")
5432
"""

from __future__ import annotations

from analysis.i18n import _
from model.schema import NFS_PORT, NodeKind
from model.schema.workloads import DEFAULT_PORTS

__all__ = ["listen_port", "refuse_unlistened"]


def listen_port(ix, node_id: str, env: str) -> int | None:
    """The one port ``node_id`` accepts connections on in ``env`` (None: not a single-port store,
    or an engine the model does not name)."""
    node = ix.nodes.get(node_id)
    if node is None or env not in node.at:
        return None
    place = node.at[env]
    if node.kind is NodeKind.RDS:
        primary = ix.nodes.get(node.standby_of) if node.standby_of else node
        spec = primary.at[env].rds if primary is not None and env in primary.at else None
        return spec.listen_port() if spec is not None else None
    if node.kind is NodeKind.AURORA and place.aurora is not None:
        return place.aurora.port or DEFAULT_PORTS[place.aurora.engine]
    if node.kind is NodeKind.ELASTICACHE and place.elasticache is not None:
        return place.elasticache.port or DEFAULT_PORTS[place.elasticache.engine]
    if node.kind is NodeKind.EFS:
        return NFS_PORT
    return None


def refuse_unlistened(w, node_id: str, port: int) -> bool:
    """Block the request when ``node_id`` listens on another port; True when it was blocked."""
    if w.recorder is not None:  # the all-pairs matrix decides the port later (PairPaths.passes)
        w.recorder.append(("listen", node_id))
        return False
    expected = listen_port(w.eg.ix, node_id, w.eg.env)
    if expected is None or port == expected:
        return False
    w.block("PORT_NOT_LISTENING", node_id,
            _("{node} は {expected} で待ち受ける（{port} への接続は拒否される）").format(
                node=node_id, expected=expected, port=port), w.where(node_id))
    return True
