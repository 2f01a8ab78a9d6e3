using Timonel.Kustomize.Yaml;

namespace Timonel.Kustomize.Patching;

/// <summary>
/// Strategic merge patch as kustomize applies it (kyaml merge2): mappings merge field by field, null deletes a
/// field, lists of objects with a merge key merge element by element (patch elements first), other lists are
/// replaced; "$patch: delete" removes a mapping or list element, "$patch: replace" replaces instead of merging.
/// </summary>
public static class StrategicMergePatch
{
    // Merge keys of the Kubernetes types kustomize knows from its OpenAPI schema (x-kubernetes-patch-merge-key),
    // by field name, for the lists users patch.
    private static readonly Dictionary<string, string> _mergeKeys = new()
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["ephemeralContainers"] = "name",
        ["env"] = "name",
        ["volumes"] = "name",
        ["volumeMounts"] = "mountPath",
        ["volumeDevices"] = "devicePath",
        ["imagePullSecrets"] = "name",
        ["hostAliases"] = "ip",
        ["conditions"] = "type",
        ["topologySpreadConstraints"] = "topologyKey",
        ["resourceClaims"] = "name",
    };

    // Without a schema, kyaml treats a list as keyed when its elements carry one of these fields
    // (kyaml/yaml/fns.go AssociativeSequenceKeys), in this order.
    private static readonly string[] _associativeKeys = ["mountPath", "devicePath", "ip", "type", "topologyKey", "name", "containerPort"];

    /// <summary>Applies the patch to the target in place; returns null when the patch deletes the whole object.</summary>
    public static YMap? Apply(YMap target, YMap patch)
    {
        if (Directive(patch) == "delete")
        {
            return null;
        }
        return (YMap?)MergeMap(target, patch, "");
    }

    private static string? Directive(YMap m) => m.GetString("$patch");

    private static YNode? MergeMap(YMap target, YMap patch, string fieldName)
    {
        switch (Directive(patch))
        {
            case "delete":
                return null;
            case "replace":
                var copy = (YMap)patch.Clone();
                copy.Remove("$patch");
                return copy;
        }
        foreach (var (key, value) in patch.Entries)
        {
            if (key is "$patch" or "$setElementOrder" || key.StartsWith("$setElementOrder/", StringComparison.Ordinal) || key == "$retainKeys")
            {
                continue;
            }
            if (value is YScalar { Kind: ScalarKind.Null })
            {
                target.Remove(key);
                continue;
            }
            var existing = target[key];
            var merged = MergeValue(existing, value, key);
            if (merged is null)
            {
                target.Remove(key);
            }
            else
            {
                target[key] = merged;
            }
        }
        _ = fieldName;
        return target;
    }

    private static YNode? MergeValue(YNode? existing, YNode patch, string fieldName)
    {
        switch (patch)
        {
            case YMap pm when existing is YMap em:
                return MergeMap(em, pm, fieldName);
            case YMap pm:
                if (Directive(pm) == "delete")
                {
                    return null;
                }
                var fresh = (YMap)pm.Clone();
                StripDirectives(fresh);
                return fresh;
            case YSeq ps when existing is YSeq es:
                return MergeList(es, ps, fieldName);
            case YSeq ps:
                var list = (YSeq)ps.Clone();
                list.Items.RemoveAll(i => i is YMap m && Directive(m) is "replace" or "delete" && m.Count == 1);
                foreach (var item in list.Items.OfType<YMap>())
                {
                    StripDirectives(item);
                }
                return list;
            default:
                return patch.Clone();
        }
    }

    private static void StripDirectives(YMap m)
    {
        m.Remove("$patch");
        foreach (var e in m.Entries.ToList())
        {
            if (e.Value is YMap child)
            {
                StripDirectives(child);
            }
            else if (e.Value is YSeq seq)
            {
                seq.Items.RemoveAll(i => i is YMap im && Directive(im) is not null && im.Count == 1);
                foreach (var item in seq.Items.OfType<YMap>())
                {
                    StripDirectives(item);
                }
            }
        }
    }

    private static YSeq MergeList(YSeq existing, YSeq patch, string fieldName)
    {
        if (patch.Items.Any(i => i is YMap m && Directive(m) == "replace" && m.Count == 1))
        {
            return new YSeq(patch.Items.Where(i => !(i is YMap m && Directive(m) == "replace" && m.Count == 1)).Select(i => i.Clone()));
        }
        var key = MergeKeyFor(fieldName, existing, patch);
        if (key is null)
        {
            var replaced = (YSeq)patch.Clone();
            foreach (var item in replaced.Items.OfType<YMap>())
            {
                StripDirectives(item);
            }
            return replaced;
        }
        // kustomize merges with kyaml's ListPrepend option: the patch's elements come first, in patch order (merged
        // with the element they match), then the existing elements the patch does not mention, in their order.
        var result = new YSeq();
        var used = new HashSet<YNode>(ReferenceEqualityComparer.Instance);
        foreach (var item in patch.Items.OfType<YMap>())
        {
            var keyValue = item.GetString(key);
            var match = existing.Items.FirstOrDefault(e => e is YMap em && !used.Contains(e) && em.GetString(key) == keyValue);
            if (match is not null)
            {
                used.Add(match);
            }
            if (Directive(item) == "delete")
            {
                continue;
            }
            if (match is not null)
            {
                if (MergeMap((YMap)match, item, fieldName) is { } merged)
                {
                    result.Items.Add(merged);
                }
            }
            else
            {
                var fresh = (YMap)item.Clone();
                StripDirectives(fresh);
                result.Items.Add(fresh);
            }
        }
        result.Items.AddRange(existing.Items.Where(e => !used.Contains(e)));
        return result;
    }

    private static string? MergeKeyFor(string fieldName, YSeq existing, YSeq patch)
    {
        var all = existing.Items.Concat(patch.Items).ToList();
        if (all.Count == 0 || !all.All(i => i is YMap))
        {
            return null;
        }
        if (fieldName == "ports")
        {
            // Container ports merge on containerPort, Service ports on port.
            return all.OfType<YMap>().Any(m => m.ContainsKey("containerPort")) ? "containerPort" : "port";
        }
        if (_mergeKeys.TryGetValue(fieldName, out var known))
        {
            return known;
        }
        foreach (var k in _associativeKeys)
        {
            if (all.OfType<YMap>().Where(m => Directive(m) is null).All(m => m.ContainsKey(k)))
            {
                return k;
            }
        }
        return null;
    }
}
