namespace Timonel.Storage.Etcd;

/// <summary>
/// PEM files for talking to etcd over TLS, as K3s' <c>--datastore-cafile</c>, <c>--datastore-certfile</c> and
/// <c>--datastore-keyfile</c>: the CA that signed etcd's serving certificate (absent: the system's trusted roots)
/// and the client certificate and key etcd's <c>--client-cert-auth</c> asks for (both or neither).
/// </summary>
public sealed record EtcdTlsFiles(string? CaFile, string? CertFile, string? KeyFile)
{
    /// <summary>No file given: plain system trust and no client certificate.</summary>
    public bool IsEmpty => CaFile is null && CertFile is null && KeyFile is null;
}
