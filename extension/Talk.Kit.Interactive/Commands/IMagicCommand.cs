using Microsoft.DotNet.Interactive;

namespace Talk.Kit.Interactive.Commands;

/// <summary>A magic command of the kit: its name, a one-line description, an example, and how to register it.</summary>
public interface IMagicCommand
{
    /// <summary>The directive, e.g. "#!kit".</summary>
    string Name { get; }

    /// <summary>One line: what it does.</summary>
    string Description { get; }

    /// <summary>A line a user can type as it is.</summary>
    string Example { get; }

    /// <summary>The lines #!kit lists: one per verb for commands with verbs.</summary>
    IReadOnlyList<MagicCommandHelp> Help => [new MagicCommandHelp(Name, Description, Example)];

    /// <summary>Adds the directive to the root kernel.</summary>
    void Register(Kernel kernel);
}
