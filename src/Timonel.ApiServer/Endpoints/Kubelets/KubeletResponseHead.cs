namespace Timonel.ApiServer.Endpoints.Kubelets;

/// <summary>The status line and headers of a kubelet's answer to an upgrade request.</summary>
public sealed class KubeletResponseHead
{
    private readonly Dictionary<string, string> _headers;

    private KubeletResponseHead(int statusCode, Dictionary<string, string> headers)
    {
        StatusCode = statusCode;
        _headers = headers;
    }

    public int StatusCode { get; }

    public string? Header(string name) => _headers.GetValueOrDefault(name);

    public static KubeletResponseHead Parse(string head)
    {
        var lines = head.Split("\r\n");
        var status = lines[0].Split(' ', 3);
        if (status.Length < 2 || !status[0].StartsWith("HTTP/1.", StringComparison.Ordinal) || !int.TryParse(status[1], out var code))
        {
            throw StatusException.Internal($"the kubelet answered with a malformed status line {lines[0]}");
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                var name = line[..colon].Trim();
                var value = line[(colon + 1)..].Trim();
                headers[name] = headers.TryGetValue(name, out var earlier) ? earlier + ", " + value : value;
            }
        }

        return new KubeletResponseHead(code, headers);
    }
}
