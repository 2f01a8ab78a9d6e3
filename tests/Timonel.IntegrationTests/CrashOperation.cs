namespace Timonel.IntegrationTests;

/// <summary>A write of the crash workload, as the request in flight when the server died.</summary>
internal enum CrashOperation
{
    None,
    Create,
    Update,
    Delete,
}
