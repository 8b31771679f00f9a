declare module '@aws-lite/dynamodb' {
  /** The aws-lite DynamoDB plugin; its methods are typed where they are used (src/store/aws-lite-ops.ts). */
  const plugin: { readonly name: string; readonly service: string; readonly methods: object };
  export default plugin;
}
