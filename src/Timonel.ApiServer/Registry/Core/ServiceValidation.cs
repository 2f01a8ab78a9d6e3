using System.Text.Json.Nodes;
using Timonel.Api.Objects;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry.Validation;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// Services (upstream's ValidateService and ValidateServiceUpdate): ports, type, external name, selector, session
/// affinity, IP families, external IPs, load balancer source ranges and the cluster IP that may not change once set.
/// </summary>
internal static class ServiceValidation
{
    private const int KubeletPort = 10250;

    private static readonly FieldPath _spec = FieldPath.Root("spec");

    // supportedServiceType and supportedSessionAffinityType, sorted as sets.List.
    private static readonly string[] _types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
    private static readonly string[] _affinities = ["ClientIP", "None"];

    // supportedServiceIPFamily and supportedServiceIPFamilyPolicy, sorted as sets.List.
    private static readonly string[] _ipFamilies = ["IPv4", "IPv6"];
    private static readonly string[] _ipFamilyPolicies = ["PreferDualStack", "RequireDualStack", "SingleStack"];

    public static FieldErrorList Validate(JsonObject service)
    {
        var errors = new FieldErrorList();
        var spec = service["spec"] as JsonObject ?? [];
        var type = spec.Text("type");
        var headless = IsHeadless(spec);
        var ports = spec.ArrayAt("ports").Objects().ToList();
        if (ports.Count == 0 && !headless && type != "ExternalName")
        {
            errors.Add(FieldError.Required(_spec.Child("ports")));
        }

        ValidateByType(errors, spec, type, headless, ports);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ports.Count; i++)
        {
            ValidatePort(errors, ports[i], ports.Count > 1, names, _spec.Child("ports").Index(i));
        }

        if (spec["selector"] is JsonObject)
        {
            errors.AddRange(ObjectMetaValidation.ValidateLabels(JsonFields.GetStringMap(spec, "selector"), _spec.Child("selector")));
        }

        var affinity = spec.Text("sessionAffinity");
        errors.AddEnum(affinity, _spec.Child("sessionAffinity"), _affinities);
        if (affinity == "ClientIP")
        {
            var timeout = spec.LongAt("sessionAffinityConfig", "clientIP", "timeoutSeconds") ?? 0;
            if (timeout is <= 0 or > 86400)
            {
                errors.Add(FieldError.Invalid(_spec.Child("sessionAffinityConfig", "clientIP", "timeoutSeconds"), timeout, "must be greater than 0 and less than 86400"));
            }
        }
        else if (affinity == "None" && spec["sessionAffinityConfig"] is not null)
        {
            errors.Add(FieldError.Forbidden(_spec.Child("sessionAffinityConfig"), "must not be set when session affinity is None"));
        }

        if (type != "ExternalName")
        {
            ValidateIpFamilies(errors, spec);
        }

        ValidateExternalIps(errors, spec);
        errors.AddEnum(type, _spec.Child("type"), _types);
        ValidatePortPairs(errors, type, ports);
        ValidateSourceRanges(errors, spec, type);
        return errors;
    }

    /// <summary>ValidateServiceUpdate: the cluster IPs may not change once set (unless to or from ExternalName), then the new service's rules.</summary>
    public static FieldErrorList ValidateUpdate(JsonObject service, JsonObject old)
    {
        var errors = new FieldErrorList();
        var spec = service["spec"] as JsonObject ?? [];
        var oldSpec = old["spec"] as JsonObject ?? [];
        if (spec.Text("type") != "ExternalName" && oldSpec.Text("type") != "ExternalName" && !(IsHeadless(spec) && IsHeadless(oldSpec)))
        {
            var ips = ClusterIps(spec, oldSpec);
            var oldIps = ClusterIps(oldSpec, oldSpec);
            var path = _spec.Child("clusterIPs");
            if (ips.Count == oldIps.Count)
            {
                for (var i = 0; i < ips.Count; i++)
                {
                    if (ips[i] != oldIps[i])
                    {
                        errors.Add(FieldError.Invalid(path.Index(i), GoValue.Strings(ips), "may not change once set"));
                    }
                }
            }
            else if (ips.Count == 0)
            {
                errors.Add(FieldError.Invalid(path.Index(0), GoValue.Strings(null), "primary clusterIP can not be unset"));
            }
            else if (oldIps.Count > 0 && ips[0] != oldIps[0])
            {
                errors.Add(FieldError.Invalid(path.Index(0), GoValue.Strings(ips), "may not change once set"));
            }
        }

        errors.AddRange(Validate(service));
        return errors;
    }

    private static void ValidateByType(FieldErrorList errors, JsonObject spec, string type, bool headless, List<JsonObject> ports)
    {
        switch (type)
        {
            case "LoadBalancer" or "NodePort":
                if (headless)
                {
                    errors.Add(FieldError.Invalid(_spec.Child("clusterIPs").Index(0), "None", $"may not be set to 'None' for {type} services"));
                }

                for (var i = 0; type == "LoadBalancer" && i < ports.Count; i++)
                {
                    if (ports[i].LongAt("port") == KubeletPort)
                    {
                        errors.Add(FieldError.Invalid(_spec.Child("ports").Index(i), KubeletPort, $"may not expose port {KubeletPort} externally since it is used by kubelet"));
                    }
                }

                break;
            case "ExternalName":
                if (spec.ArrayAt("clusterIPs") is { Count: > 0 } || spec.StringAt("clusterIP") is { Length: > 0 })
                {
                    errors.Add(FieldError.Forbidden(_spec.Child("clusterIPs"), "may not be set for ExternalName services"));
                }

                foreach (var field in new[] { "ipFamilies", "ipFamilyPolicy" })
                {
                    if (spec[field] is JsonArray { Count: > 0 } or JsonValue)
                    {
                        errors.Add(FieldError.Forbidden(_spec.Child(field), "may not be set for ExternalName services"));
                    }
                }

                // A CNAME may end with a dot to say it is fully qualified.
                var cname = spec.Text("externalName").TrimEnd('.');
                if (cname.Length == 0)
                {
                    errors.Add(FieldError.Required(_spec.Child("externalName")));
                }
                else
                {
                    errors.AddDns1123Subdomain(cname, _spec.Child("externalName"));
                }

                break;
        }
    }

    /// <summary>The IP family fields of ValidateServiceClusterIPsRelatedFields: known, unique families and a known policy.</summary>
    private static void ValidateIpFamilies(FieldErrorList errors, JsonObject spec)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var family in spec.ArrayAt("ipFamilies") ?? [])
        {
            var path = _spec.Child("ipFamilies").Index(index++);
            var value = family?.ToString() ?? string.Empty;
            if (!_ipFamilies.Contains(value))
            {
                errors.Add(FieldError.NotSupported(path, value, _ipFamilies));
            }

            if (!seen.Add(value))
            {
                errors.Add(FieldError.Duplicate(path, value));
            }
        }

        if (spec.StringAt("ipFamilyPolicy") is { } policy && !_ipFamilyPolicies.Contains(policy))
        {
            errors.Add(FieldError.NotSupported(_spec.Child("ipFamilyPolicy"), policy, _ipFamilyPolicies));
        }
    }

    /// <summary>Each external IP is a valid, non-special address.</summary>
    private static void ValidateExternalIps(FieldErrorList errors, JsonObject spec)
    {
        var index = 0;
        foreach (var node in spec.ArrayAt("externalIPs") ?? [])
        {
            var path = _spec.Child("externalIPs").Index(index++);
            var ip = node?.ToString() ?? string.Empty;
            var problems = NetworkValidation.IsValidIP(path, ip);
            errors.AddRange(problems.IsEmpty ? NetworkValidation.ValidateNonSpecialIP(path, ip) : problems);
        }
    }

    /// <summary>loadBalancerSourceRanges: only on LoadBalancer services, each a CIDR (surrounding spaces tolerated).</summary>
    private static void ValidateSourceRanges(FieldErrorList errors, JsonObject spec, string type)
    {
        if (spec.ArrayAt("loadBalancerSourceRanges") is not { Count: > 0 } ranges)
        {
            return;
        }

        // Upstream names this path with a capital L.
        var path = _spec.Child("LoadBalancerSourceRanges");
        if (type != "LoadBalancer")
        {
            errors.Add(FieldError.Forbidden(path, "may only be used when `type` is 'LoadBalancer'"));
        }

        for (var i = 0; i < ranges.Count; i++)
        {
            errors.AddRange(NetworkValidation.IsValidCIDR(path.Index(i), (ranges[i]?.ToString() ?? string.Empty).Trim()));
        }
    }

    /// <summary>validateServicePort: names (required with several ports, unique labels), port, protocol, target port.</summary>
    private static void ValidatePort(FieldErrorList errors, JsonObject port, bool requireName, HashSet<string> names, FieldPath path)
    {
        var name = errors.AddPortName(port, requireName, path);
        if (name.Length != 0 && !names.Add(name))
        {
            errors.Add(FieldError.Duplicate(path.Child("name"), name));
        }

        errors.AddPortNumberAndProtocol(port, path);
        errors.AddPortNumOrName(port["targetPort"], path.Child("targetPort"));
        errors.AddAppProtocol(port, path);
    }

    /// <summary>No node port on a ClusterIP service; node ports and ports unique per protocol.</summary>
    private static void ValidatePortPairs(FieldErrorList errors, string type, List<JsonObject> ports)
    {
        var nodePorts = new HashSet<(string, long)>();
        var servicePorts = new HashSet<(string, long)>();
        for (var i = 0; i < ports.Count; i++)
        {
            var path = _spec.Child("ports").Index(i);
            var protocol = ports[i].Text("protocol");
            var nodePort = ports[i].LongAt("nodePort") ?? 0;
            if (type == "ClusterIP" && nodePort != 0)
            {
                errors.Add(FieldError.Forbidden(path.Child("nodePort"), "may not be used when `type` is 'ClusterIP'"));
            }

            if (nodePort != 0 && !nodePorts.Add((protocol, nodePort)))
            {
                errors.Add(FieldError.Duplicate(path.Child("nodePort"), nodePort));
            }

            var number = ports[i].LongAt("port") ?? 0;
            if (!servicePorts.Add((protocol, number)))
            {
                // Upstream shows the core.ServicePort key it compared: protocol and port only.
                errors.Add(FieldError.Duplicate(path, GoValue.Struct(
                    "core.ServicePort",
                    ("Name", ""),
                    ("Protocol", protocol),
                    ("AppProtocol", GoValue.Pointer("string", set: false)),
                    ("Port", number),
                    ("TargetPort", GoValue.IntOrString(null)),
                    ("NodePort", 0))));
            }
        }
    }

    // isHeadlessService: the (only) cluster IP is "None".
    private static bool IsHeadless(JsonObject spec) =>
        spec.Text("type") == "ClusterIP" && (spec.StringAt("clusterIP") == "None" || spec.ArrayAt("clusterIPs")?.FirstOrDefault()?.ToString() == "None");

    /// <summary>
    /// The cluster IPs as the registry normalises them before validating (normalizeClusterIPs): a changed clusterIP
    /// with untouched clusterIPs stands for [clusterIP].
    /// </summary>
    private static List<string> ClusterIps(JsonObject spec, JsonObject oldSpec)
    {
        var ips = (spec.ArrayAt("clusterIPs") ?? []).Select(n => n?.ToString() ?? string.Empty).ToList();
        var ip = spec.Text("clusterIP");
        if (ip != oldSpec.Text("clusterIP") && JsonNode.DeepEquals(spec["clusterIPs"], oldSpec["clusterIPs"]))
        {
            return ip.Length > 0 ? [ip] : [];
        }

        return ips.Count == 0 && ip.Length > 0 ? [ip] : ips;
    }
}
