using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Timonel.ApiServer.Endpoints;

/// <summary>/version: the Kubernetes version Timonel speaks (kubectl compares its own against it for skew warnings).</summary>
public static class ServerVersion
{
    public const string Major = "1";
    public const string Minor = "32";
    public const string GitVersion = "v1.32.0+timonel";

    public static JsonObject Document() => new()
    {
        ["major"] = Major,
        ["minor"] = Minor,
        ["gitVersion"] = GitVersion,
        ["gitCommit"] = typeof(ServerVersion).Assembly.GetName().Version?.ToString() ?? "",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-11-24T00:00:00Z",
        ["goVersion"] = RuntimeInformation.FrameworkDescription,
        ["compiler"] = "dotnet",
        ["platform"] = $"linux/{RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant().Replace("x64", "amd64", StringComparison.Ordinal)}",
    };
}
