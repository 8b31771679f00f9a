import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/**
 * The key list cursors are signed with (src/store/cursor.ts): a Secrets Manager secret generated at deploy
 * time, that only the task function may read. Neither the template nor the environment holds the key, only
 * the ARN; the stack grants the task function GetSecretValue on it (src/lambda/permissions.ts). A new value (a put, or a replaced secret) makes every cursor minted before it a 400, and reaches
 * each container when it next starts.
 */
export class CursorKey extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string, props: { stage: string }) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description: `Task service (${props.stage}): the key list cursors are signed with`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      // Cursors live for a listing, not longer: nothing is lost with the key.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'A rotation would only turn every outstanding list cursor into a 400; put a new value by hand if the ' +
        'key may have leaked (docs/operate.md).',
    });
  }
}
