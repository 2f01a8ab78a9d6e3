namespace Timonel.IntegrationTests;

/// <summary>A pod as <c>kubectl get pods</c> shows where it runs: its node, and whether it is terminating.</summary>
public sealed record PodPlacement(string Name, string Node, bool Terminating);
