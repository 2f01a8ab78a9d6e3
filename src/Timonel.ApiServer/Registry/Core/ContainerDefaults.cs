using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// The defaults of one container (containers, init and ephemeral containers alike), after
/// pkg/apis/core/v1/defaults.go: SetDefaults_Container, SetDefaults_ContainerPort, SetDefaults_Probe,
/// SetDefaults_HTTPGetAction, SetDefaults_ObjectFieldSelector.
/// </summary>
public static class ContainerDefaults
{
    public static void Apply(JsonObject container)
    {
        if (string.IsNullOrEmpty(container.StringAt("imagePullPolicy")))
        {
            container["imagePullPolicy"] = ImageHasLatestTag(container.StringAt("image") ?? "") ? "Always" : "IfNotPresent";
        }

        SetIfEmpty(container, "terminationMessagePath", "/dev/termination-log");
        SetIfEmpty(container, "terminationMessagePolicy", "File");
        foreach (var port in container.ArrayAt("ports").Objects())
        {
            SetIfEmpty(port, "protocol", "TCP");
        }

        foreach (var env in container.ArrayAt("env").Objects())
        {
            FieldSelector(env.ObjectAt("valueFrom", "fieldRef"));
        }

        foreach (var probe in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
        {
            if (container.ObjectAt(probe) is { } p)
            {
                Probe(p);
            }
        }

        foreach (var hook in new[] { "postStart", "preStop" })
        {
            HttpGet(container.ObjectAt("lifecycle", hook, "httpGet"));
        }
    }

    /// <summary>
    /// Whether the image reference names the "latest" tag, explicitly or by having neither tag nor digest
    /// (parsers.ParseImageName defaults the tag to latest only when both are absent).
    /// </summary>
    public static bool ImageHasLatestTag(string image)
    {
        if (image.Length == 0)
        {
            return false;
        }

        var at = image.IndexOf('@', StringComparison.Ordinal);
        var hasDigest = at >= 0;
        var name = hasDigest ? image[..at] : image;
        var lastSlash = name.LastIndexOf('/');
        var colon = name.IndexOf(':', lastSlash + 1);
        var tag = colon >= 0 ? name[(colon + 1)..] : "";
        return tag == "latest" || (tag.Length == 0 && !hasDigest);
    }

    /// <summary>SetDefaults_ObjectFieldSelector: apiVersion v1.</summary>
    public static void FieldSelector(JsonObject? fieldRef)
    {
        if (fieldRef is not null)
        {
            SetIfEmpty(fieldRef, "apiVersion", "v1");
        }
    }

    private static void Probe(JsonObject probe)
    {
        // Upstream treats 0 as unset for these counters.
        SetIfZero(probe, "timeoutSeconds", 1);
        SetIfZero(probe, "periodSeconds", 10);
        SetIfZero(probe, "successThreshold", 1);
        SetIfZero(probe, "failureThreshold", 3);
        HttpGet(probe.ObjectAt("httpGet"));
    }

    private static void HttpGet(JsonObject? httpGet)
    {
        if (httpGet is null)
        {
            return;
        }

        SetIfEmpty(httpGet, "path", "/");
        SetIfEmpty(httpGet, "scheme", "HTTP");
    }

    internal static void SetIfEmpty(JsonObject obj, string name, string value)
    {
        if (string.IsNullOrEmpty(obj.StringAt(name)))
        {
            obj[name] = value;
        }
    }

    internal static void SetIfZero(JsonObject obj, string name, long value)
    {
        if ((obj.LongAt(name) ?? 0) == 0)
        {
            obj[name] = value;
        }
    }
}
