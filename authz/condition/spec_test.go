package condition

import "time"

// The conditions of spec abac-conditions.md, shared by the parser, evaluator and fuzz tests.

const (
	cr       = "Microsoft.ContainerRegistry/registries/repositories/"
	repoName = "@Request[Microsoft.ContainerRegistry/registries/repositories:name]"

	readBlock = "(!(ActionMatches{'" + cr + "content/read'}) AND !(ActionMatches{'" + cr + "metadata/read'}))"

	// cExact is C-exact of §9, copied from the spec.
	cExact = `((!(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/content/read'}) AND !(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/metadata/read'})) OR (@Request[Microsoft.ContainerRegistry/registries/repositories:name] StringEqualsIgnoreCase 'nginx'))`

	cPrefix        = "(" + readBlock + " OR (" + repoName + " StringStartsWithIgnoreCase 'backend/'))"
	cPrefixNoSlash = "(" + readBlock + " OR (" + repoName + " StringStartsWithIgnoreCase 'backend'))"
	cTwoPrefixes   = "(" + readBlock + " OR (" + repoName + " StringStartsWithIgnoreCase 'backend/' OR " +
		repoName + " StringStartsWithIgnoreCase 'frontend/js/'))"

	// acrFlat is the ACR article's single-repository condition as `tr -d '\n'` leaves it; acrMultiLine is
	// the original.
	acrFlat      = "( (  !(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/content/read'})  AND  !(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/metadata/read'}) ) OR  (  @Request[Microsoft.ContainerRegistry/registries/repositories:name] StringEqualsIgnoreCase 'hello-world' ))"
	acrMultiLine = `(
 (
  !(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/content/read'})
  AND
  !(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/metadata/read'})
 )
 OR
  (
  @Request[Microsoft.ContainerRegistry/registries/repositories:name] StringEqualsIgnoreCase 'hello-world'
 )
)`

	case9  = "(" + readBlock + " OR (" + repoName + " StringEquals 'Nginx'))"
	case14 = `((!(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/content/write'})) OR (NOT @Request[Microsoft.ContainerRegistry/registries/repositories:name] StringStartsWithIgnoreCase 'prod/'))`
	case15 = "((!(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/*'})) OR (" + repoName + " StringStartsWithIgnoreCase 'team-a/'))"
	case16 = "((!(ActionMatches{'Microsoft.ContainerRegistry/registries/*/read'})) OR (" + repoName + " StringEqualsIgnoreCase 'nginx'))"
	case17 = "((!(ActionMatches{'microsoft.containerregistry/registries/repositories/CONTENT/read'}) AND !(ActionMatches{'" + cr + "metadata/read'})) OR (" + repoName + " StringEqualsIgnoreCase 'nginx'))"
	case18 = "((!(ActionMatches{'" + cr + "content/delete'}) AND !(ActionMatches{'" + cr + "metadata/delete'})) OR (" +
		repoName + " StringStartsWithIgnoreCase 'scratch/')) AND ((!(ActionMatches{'" + cr + "content/write'}) AND !(ActionMatches{'" +
		cr + "metadata/write'})) OR (" + repoName + " StringStartsWithIgnoreCase 'scratch/' OR " + repoName + " StringStartsWithIgnoreCase 'dev/'))"
	case20 = "((!(ActionMatches{'" + cr + "content/read'} AND SubOperationMatches{'Blob.List'})) OR (" + repoName + " StringEqualsIgnoreCase 'nginx'))"
	case25 = "((!(ActionMatches{'" + cr + "content/read'})) OR (" + repoName + " ForAnyOfAnyValues:StringEqualsIgnoreCase {'nginx', 'redis'}))"
	case26 = "((!(ActionMatches{'" + cr + "content/read'})) OR (" + repoName + " StringLikeIgnoreCase 'team-?/*'))"
	case27 = "((!(ActionMatches{'" + cr + "content/read'})) OR (" + repoName + " StringEqualsIgnoreCase nginx))"

	// Storage and other attributes of §2.4, §4 and §5.
	blobRead  = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"
	tagKeys   = "@Request[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags&$keys$&]"
	engProj   = "@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Project]"
	tagProj   = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Project<$key_case_sensitive$>]"
	roleDefID = "@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId]"
)

// storageAttributes declares the non-ACR attributes the spec's examples use.
var storageAttributes = []Attribute{
	{SourceResource, "Microsoft.Storage/storageAccounts/blobServices/containers:name", StringValue("")},
	{SourceResource, "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Project<$key_case_sensitive$>", StringValue("")},
	{SourceRequest, "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags&$keys$&", SetValue(StringValue(""))},
	{SourcePrincipal, "Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Project", StringValue("")},
	{SourceResource, "Microsoft.Storage/storageAccounts:isHnsEnabled", BoolValue(false)},
	{SourceResource, "Microsoft.Storage/storageAccounts/encryptionScopes:name", StringValue("")},
	{SourceRequest, "subOperation", StringValue("")},
	{SourceRequest, "Microsoft.Authorization/roleAssignments:RoleDefinitionId", mustGUID("00000000-0000-0000-0000-000000000000")},
	{SourceEnvironment, "isPrivateLink", BoolValue(false)},
	{SourceEnvironment, "UtcNow", TimeValue(time.Time{})},
	{SourceEnvironment, "Microsoft.Network/privateEndpoints", StringValue("")},
	{SourceRequest, "Microsoft.Storage/storageAccounts/blobServices/containers/blobs:snapshot", IntValue(0)},
}

func mustGUID(s string) Value {
	v, err := GUIDValue(s)
	if err != nil {
		panic(err)
	}
	return v
}

// specConditions is every condition in the spec, valid or not, to seed the fuzzers.
var specConditions = []string{
	cExact, cPrefix, cPrefixNoSlash, cTwoPrefixes, acrFlat, acrMultiLine,
	case9, case14, case15, case16, case17, case18, case20, case25, case26, case27,
	repoName + " StringEqualsIgnoreCase 'x'",
	"ActionMatches('" + cr + "content/read')",
	"!(ActionMatches{'" + blobRead + "'} AND SubOperationMatches{'Blob.List'})",
	"!(ActionMatches{'" + blobRead + "'} AND NOT SubOperationMatches{'Blob.List'})",
	"NOT Exists " + repoName,
	"NOT " + repoName + " StringEquals 'a'",
	"{'red', 'blue'} ForAnyOfAnyValues:StringEquals {'blue', 'green'}",
	"{'red', 'blue'} ForAnyOfAnyValues:StringEquals {'orange', 'green'}",
	"{'red', 'blue'} ForAllOfAnyValues:StringEquals {'orange', 'red', 'blue'}",
	"{'red', 'blue'} ForAllOfAnyValues:StringEquals {'red', 'green'}",
	"{10, 20} ForAnyOfAllValues:NumericLessThan {15, 18}",
	"{10, 20} ForAllOfAllValues:NumericLessThan {5, 15, 18}",
	"{10, 20} ForAllOfAllValues:NumericLessThan {25, 30}",
	"{10, 20} ForAllOfAllValues:NumericLessThan {15, 25, 30}",
	"@Resource[Microsoft.Storage/storageAccounts/encryptionScopes:name] ForAnyOfAnyValues:StringEquals {'validScope1', 'validScope2'}",
	"@Resource[Microsoft.Storage/storageAccounts:isHnsEnabled] BoolEquals true",
	engProj + " StringEquals " + tagProj,
	tagProj + " ForAnyOfAnyValues:StringEquals " + engProj,
	tagKeys + " ForAllOfAnyValues:StringEquals {'Project', 'Program'}",
	"@Request[subOperation] ForAnyOfAnyValues:StringEqualsIgnoreCase {'Blob.List'}",
	"@Environment[UtcNow] DateTimeGreaterThan '2022-06-01T23:38:32.8883645Z'",
	"@Environment[UtcNow] DateTimeLessThan '2023-05-01T13:00:00.000Z'",
	"@Environment[isPrivateLink] BoolEquals true",
	roleDefID + " ForAnyOfAnyValues:GuidEquals{b24988ac-6180-42a0-ab88-20f7382dd24c, 4bad4d9e2a13488894bbc8432f6f3040}",
	"ActionMatches{'Microsoft.Authorization/roleAssignments/*'}",
	"'abcd' StringLike 'a*c?'",
	"'abcd' StringLike 'A*C?'",
	"'abcd' StringLike 'a*c'",
	"'logs/AlpineFile.txt' StringLike 'logs*'",
	repoName + " ForAnyOfAnyValues:StringStartsWithIgnoreCase {'a/', 'b/'}",
	repoName + " StringContains 'a'",
	"@Resource[Microsoft.ContainerRegistry/registries/repositories:name] StringEqualsIgnoreCase 'x'",
	repoName + " ForAnyOfAnyValues " + repoName,
}
