"""An independent count of the complete building polygons in an OSM extract."""

import osmium


def independent_count(path):
    """Count from the raw objects, without the area assembler: closed ways tagged building (not
    no) whose every node is in the file, plus building multipolygon relations whose member ways
    are all in the file with all their nodes."""
    nodes, ways, building_ways, building_relations = set(), {}, {}, {}
    for obj in osmium.FileProcessor(str(path)):
        if obj.is_node():
            nodes.add(obj.id)
        elif obj.is_way():
            refs = [n.ref for n in obj.nodes]
            ways[obj.id] = refs
            if obj.tags.get("building", "no") != "no":
                building_ways[obj.id] = refs
        elif obj.is_relation() and obj.tags.get("building", "no") != "no" and obj.tags.get("type") == "multipolygon":
            building_relations[obj.id] = [(m.type, m.ref) for m in obj.members]
    complete_ways = {f"w{w}" for w, refs in building_ways.items()
                     if len(refs) >= 4 and refs[0] == refs[-1] and all(r in nodes for r in refs)}
    def complete(members):
        return all(t != "w" or (ref in ways and all(n in nodes for n in ways[ref])) for t, ref in members)

    complete_relations = {f"r{r}" for r, members in building_relations.items() if complete(members)}
    return complete_ways | complete_relations
