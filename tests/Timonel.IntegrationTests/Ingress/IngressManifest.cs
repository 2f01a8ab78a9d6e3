namespace Timonel.IntegrationTests.Ingress;

/// <summary>
/// An Ingress with one host rule: a Prefix path to a Service's port 8080, optionally TLS from a Secret and more paths
/// (<see cref="Path"/>), as YAML for <c>kubectl apply -f -</c>.
/// </summary>
public static class IngressManifest
{
    public static string For(string name, string host, string path, string service, string? tlsSecret = null, string morePaths = "")
    {
        var tls = tlsSecret is null ? "" : $"""

              tls:
              - hosts: ["{host}"]
                secretName: {tlsSecret}
            """;
        return $"""
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: {name}
            spec:{tls}
              rules:
              - host: {host}
                http:
                  paths:{Path(path, "Prefix", service)}{morePaths}
            """;
    }

    /// <summary>One more entry of the rule's paths (nothing for a null path), to append to <see cref="For"/>'s.</summary>
    public static string Path(string? path, string type, string service) => path is null ? "" : $"""

                  - path: {path}
                    pathType: {type}
                    backend:
                      service:
                        name: {service}
                        port:
                          number: 8080
            """;
}
