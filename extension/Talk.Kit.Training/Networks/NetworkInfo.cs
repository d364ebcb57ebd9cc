namespace Talk.Kit.Training.Networks;

/// <summary>One network of the <see cref="NetworkCatalog"/>.</summary>
/// <param name="Name">Catalogue name, e.g. "lenet-5".</param>
/// <param name="Description">One line: architecture, source paper, parameter count.</param>
/// <param name="Parameters">Trainable parameters (weights, biases, BatchNorm γ and β; not running statistics).</param>
public sealed record NetworkInfo(string Name, string Description, long Parameters);
