using TorchSharp;
using static TorchSharp.torch;

namespace BlazorForecast.Forecasting.Models;

/// <summary>
/// One architecture trained from several seeds, forecasting the mean of its members: the model of a run with more than
/// one seed. Averaging removes the part of each member's error that is the draw's, not the method's. Weights are saved
/// as "_members.{i}.…" (TorchSharp names by field), each member under its own model's names.
/// </summary>
public sealed class SeedEnsemble : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor>[] _memberList;
    private readonly TorchSharp.Modules.ModuleList<nn.Module<Tensor, Tensor>> _members;

    public SeedEnsemble(IReadOnlyList<nn.Module<Tensor, Tensor>> members)
        : base(nameof(SeedEnsemble))
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0)
        {
            throw new ArgumentException("An ensemble needs at least one member.", nameof(members));
        }

        _memberList = [.. members];
        _members = nn.ModuleList(_memberList);
        RegisterComponents();
    }

    public int Count => _memberList.Length;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return stack(_memberList.Select(m => m.call(input)).ToArray()).mean([0]).MoveToOuterDisposeScope();
    }
}
