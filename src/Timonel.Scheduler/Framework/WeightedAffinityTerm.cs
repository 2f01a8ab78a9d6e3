namespace Timonel.Scheduler.Framework;

/// <summary>A preferred pod (anti-)affinity term with its weight (upstream framework.WeightedAffinityTerm).</summary>
public sealed record WeightedAffinityTerm(AffinityTerm Term, int Weight);
