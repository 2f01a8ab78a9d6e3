using System.Net;
using Timonel.ApiServer.Audit;
using Timonel.ApiServer.Encryption;
using Timonel.ApiServer.Overload;
using Timonel.Storage.Etcd;

namespace Timonel.ApiServer.Hosting;

/// <summary>The server's settings, named after K3s' flags.</summary>
public sealed record ApiServerOptions
{
    public required string DataDir { get; init; }

    public int HttpsListenPort { get; init; } = 6443;

    public IPAddress BindAddress { get; init; } = IPAddress.Any;

    /// <summary>--advertise-address: the address the kubernetes service lists for this server; null = the bind address, or the host's first IPv4.</summary>
    public IPAddress? AdvertiseAddress { get; init; }

    /// <summary>--advertise-port: the port the kubernetes service lists for this server; null = the listen port.</summary>
    public int? AdvertisePort { get; init; }

    /// <summary>Empty = embedded SQLite in the data dir; http://host:2379 = etcd.</summary>
    public string? DatastoreEndpoint { get; init; }

    /// <summary>--datastore-cafile, --datastore-certfile, --datastore-keyfile: TLS to an https:// etcd endpoint.</summary>
    public EtcdTlsFiles? DatastoreTls { get; init; }

    /// <summary>The join token; generated on first start when neither this nor a token file is given.</summary>
    public string? Token { get; init; }

    public string? TokenFile { get; init; }

    /// <summary>A static token file (token,user,uid,"group1,group2"), as kube-apiserver's --token-auth-file.</summary>
    public string? TokenAuthFile { get; init; }

    public string ServiceCidr { get; init; } = "10.43.0.0/16";

    public string ServiceNodePortRange { get; init; } = "30000-32767";

    public IReadOnlyList<string> TlsSans { get; init; } = [];

    /// <summary>Secrets encryption at rest (its storage already wrapped); null: none, and no secrets-encrypt endpoints.</summary>
    public SecretsEncryption? SecretsEncryption { get; init; }
    /// <summary>--audit-policy-file and --audit-log-*: no audit unless both a policy and a log path are given.</summary>
    public AuditLogOptions Audit { get; init; } = new();

    /// <summary>--max-requests-inflight, --max-mutating-requests-inflight, --request-timeout, --max-watches-per-user.</summary>
    public OverloadOptions Overload { get; init; } = new();

    /// <summary>The data dir K3s would use: /var/lib/timonel for root, ~/.timonel otherwise.</summary>
    public static string DefaultDataDir() =>
        Environment.UserName == "root" ? "/var/lib/timonel" : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".timonel");
}
