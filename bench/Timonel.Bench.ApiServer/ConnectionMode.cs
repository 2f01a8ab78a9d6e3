namespace Timonel.Bench.ApiServer;

/// <summary>
/// How the concurrent clients of a cell reach their server. The same mode is used for the API server and for the raw
/// etcd reference, so create rates are compared like for like.
/// </summary>
internal enum ConnectionMode
{
    /// <summary>Each client its own connection (own HttpClient; own dotnet-etcd client): separate processes.</summary>
    Own,

    /// <summary>
    /// All clients multiplexed over one HTTP/2 connection (one HttpClient; one dotnet-etcd client, i.e. one gRPC
    /// channel): the workers of one process, as client-go's goroutines share one connection to the API server.
    /// </summary>
    Shared,
}
