namespace Timonel.IntegrationTests;

/// <summary>A tracked ConfigMap as a list after a restart returned it: the workload's counter and its resourceVersion.</summary>
internal sealed record ObservedObject(int Value, long ResourceVersion);
